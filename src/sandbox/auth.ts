// Credentials: `Authorization: PortOne <API secret>` or `Bearer <access token>` from
// `/login/api-secret` and `/token/refresh` (access 30 min, refresh 1 day; a new login or refresh
// invalidates the previous refresh token). Token lifetimes follow the sandbox clock.
import { createHmac, randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

export const ACCESS_TOKEN_TTL_MS = 30 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 24 * 3_600_000;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export class Auth {
  /** The exact header value the server SDK sends, compared as one string on the hot path. */
  private readonly secretHeader: string;
  private readonly accessTokens = new Map<string, number>();
  private refreshToken: { token: string; expiresAt: number } | undefined;
  private readonly signingKey = randomBytes(32);

  constructor(private readonly apiSecret: string, private readonly now: () => number) {
    this.secretHeader = `PortOne ${apiSecret}`;
  }

  /** Whether an `Authorization` header grants access. */
  check(header: string | undefined): boolean {
    if (header === this.secretHeader) return true;
    if (header === undefined || !header.startsWith('Bearer ')) return false;
    const expiresAt = this.accessTokens.get(header.slice(7));
    return expiresAt !== undefined && expiresAt > this.now();
  }

  unauthorized(header: string | undefined): ApiError {
    if (header === undefined) return new ApiError('UNAUTHORIZED', 'Missing Authorization header: expected `PortOne <API secret>` or `Bearer <access token>`.');
    if (header.startsWith('PortOne ')) return new ApiError('UNAUTHORIZED', 'The API secret in `Authorization: PortOne …` is not valid for this store.');
    if (header.startsWith('Bearer ')) return new ApiError('UNAUTHORIZED', 'The access token is unknown or expired (tokens last 30 minutes; refresh with POST /token/refresh).');
    return new ApiError('UNAUTHORIZED', 'Unsupported Authorization scheme: expected `PortOne <API secret>` or `Bearer <access token>`.');
  }

  login(apiSecret: string): { accessToken: string; refreshToken: string } {
    if (apiSecret !== this.apiSecret) throw new ApiError('UNAUTHORIZED', 'The API secret is not valid.');
    return this.issue();
  }

  refresh(refreshToken: string): { accessToken: string; refreshToken: string } {
    const current = this.refreshToken;
    if (!current || current.token !== refreshToken) throw new ApiError('UNAUTHORIZED', 'The refresh token is unknown or was replaced by a newer login or refresh.');
    if (current.expiresAt <= this.now()) throw new ApiError('UNAUTHORIZED', 'The refresh token expired (refresh tokens last 1 day).');
    return this.issue();
  }

  private issue(): { accessToken: string; refreshToken: string } {
    const now = this.now();
    const accessToken = this.jwt({ typ: 'access', exp: Math.floor((now + ACCESS_TOKEN_TTL_MS) / 1000) });
    const refreshToken = this.jwt({ typ: 'refresh', exp: Math.floor((now + REFRESH_TOKEN_TTL_MS) / 1000) });
    this.accessTokens.set(accessToken, now + ACCESS_TOKEN_TTL_MS);
    for (const [token, expiresAt] of this.accessTokens) if (expiresAt <= now) this.accessTokens.delete(token);
    this.refreshToken = { token: refreshToken, expiresAt: now + REFRESH_TOKEN_TTL_MS };
    return { accessToken, refreshToken };
  }

  /** Opaque to clients, but shaped like PortOne's JWTs. */
  private jwt(claims: Record<string, unknown>): string {
    const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = base64url(JSON.stringify({ ...claims, iat: Math.floor(this.now() / 1000), jti: randomBytes(8).toString('hex') }));
    const sig = createHmac('sha256', this.signingKey).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }
}

// The HTTP edge, Web-standard only: reading a body within a limit, JSON in and out, and the one
// place a paymentId taken from a URL is decoded and checked.
import { BODY_ALREADY_READ_MESSAGE, CheckoutError, show } from './errors.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

export function errorResponse(error: CheckoutError, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify(error.toJSON()), { status: error.status, headers });
}

/**
 * Reads the body as UTF-8 text, refusing more than `limit` bytes. With a Content-Length (the usual
 * case), the length is checked first and the body read in one go — HTTP framing guarantees no more
 * arrives, and adapters have a fast path for it; without one (chunked), the bytes are counted as
 * they stream and reading stops at the limit.
 */
export async function readText(request: Request, limit: number): Promise<string> {
  // Another layer (a framework's body parser) read it first: say so, instead of a bare TypeError.
  if (request.bodyUsed) throw new CheckoutError('BODY_ALREADY_READ', BODY_ALREADY_READ_MESSAGE);
  try {
    return await readUnread(request, limit);
  } catch (error) {
    if (error instanceof TypeError && /unusable|disturbed|locked/i.test(error.message)) throw new CheckoutError('BODY_ALREADY_READ', BODY_ALREADY_READ_MESSAGE);
    throw error;
  }
}

async function readUnread(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get('content-length');
  let bytes: Uint8Array;
  if (declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) > limit) throw tooLarge(limit, `${declared} bytes`);
    bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > limit) throw tooLarge(limit, `${bytes.byteLength} bytes`);
  } else {
    bytes = await readCounting(request, limit);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new CheckoutError('INVALID_JSON', 'expected a UTF-8 encoded body, got bytes that are not UTF-8');
  }
}

/** Strict: bytes that are not UTF-8 throw. Shared, as `decode` without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const tooLarge = (limit: number, got: string) => new CheckoutError('BODY_TOO_LARGE', `expected a body of at most ${limit} bytes, got ${got}`);

async function readCounting(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, `more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads a JSON object body. The routes that take JSON require `Content-Type: application/json`,
 * which a browser sends cross-site only after a CORS preflight: a form post, or a `no-cors` fetch
 * (no Content-Type, or text/plain) riding on the shopper's cookies, cannot reach them.
 */
export async function readJsonObject(request: Request, limit: number): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type');
  if (type === null || !/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new CheckoutError('UNSUPPORTED_MEDIA_TYPE', `expected Content-Type application/json, got ${type === null ? 'none' : show(type)}`);
  }
  const text = await readText(request, limit);
  if (text.trim() === '') throw new CheckoutError('INVALID_JSON', 'expected a JSON object body, got an empty body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CheckoutError('INVALID_JSON', `expected a JSON object body, got text that is not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CheckoutError('INVALID_JSON', `expected a JSON object body, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Longest paymentId or issueId the kit accepts; its own are 30 characters. */
export const MAX_ID_LENGTH = 64;

/**
 * Checks an id the kit issued (paymentId, issueId) as it arrives from outside: printable ASCII
 * (PortOne's own rule), no `/` or `\`, not `.` or `..`, at most 64 characters.
 */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new CheckoutError('INVALID_REQUEST', `${field}: expected a string, got ${show(value)}`);
  }
  const code = /paymentId$/i.test(field) ? 'INVALID_PAYMENT_ID' : 'INVALID_REQUEST';
  const expected = `expected 1–${MAX_ID_LENGTH} printable ASCII characters without "/", "\\" or ".." (an id the kit issued)`;
  if (value.length === 0 || value.length > MAX_ID_LENGTH || !/^[\x21-\x7e]+$/.test(value) || /[/\\]/.test(value) || value === '.' || value.includes('..')) {
    throw new CheckoutError(code, `${field}: ${expected}, got ${show(value)}`);
  }
  return value;
}

/** Decodes one percent-encoded path segment, exactly once. */
export function decodeSegment(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new CheckoutError(field === 'paymentId' ? 'INVALID_PAYMENT_ID' : 'INVALID_REQUEST', `${field}: expected valid percent-encoding in the path, got ${show(raw)}`);
  }
}

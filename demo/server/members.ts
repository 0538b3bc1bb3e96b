// The shop's sign-in, such as it is: every visitor is a member (there is no sign-up in a sample
// shop). The browser holds only a random session token in an httpOnly cookie; the shop keeps which
// member it stands for. The member id is no secret — it goes to PortOne as the customerId, into
// orders and onto the admin page — so it must never be what signs anyone in.
import { createHash, randomBytes } from 'node:crypto';
import { parse } from 'hono/utils/cookie';
import { isLang, type Lang } from '../shared/i18n.js';
import type { ShopDb } from './shop-db.js';

export const SESSION_COOKIE = 'dalbit_session';
/** The visitor's language (the header's switch sets it); Korean without it. */
export const LANG_COOKIE = 'lang';

/** The language of the request's visitor, for words the server writes for them. */
export function langOf(request: Request): Lang {
  const lang = parse(request.headers.get('cookie') ?? '', LANG_COOKIE)[LANG_COOKIE];
  return isLang(lang) ? lang : 'ko';
}
/** 32 random bytes, base64url: what the shop issues, and all it will look up. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const MEMBER_ID = /^mem_[A-Za-z0-9_-]{16}$/;

/** Sessions are stored by the token's SHA-256, so a copy of the database signs no one in. */
export const sessionKey = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** The member whose session the request's cookie carries, or undefined (no cookie, or not a live session). */
export function memberIdOf(request: Request, db: ShopDb): string | undefined {
  const token = parse(request.headers.get('cookie') ?? '', SESSION_COOKIE)[SESSION_COOKIE];
  return token !== undefined && SESSION_TOKEN.test(token) ? db.sessionMember(sessionKey(token)) : undefined;
}

/** Signs a new visitor in as a new member: the member id stays on the server, the browser gets the token. */
export function startSession(db: ShopDb): { token: string; memberId: string } {
  const token = randomBytes(32).toString('base64url');
  const memberId = `mem_${randomBytes(12).toString('base64url')}`;
  db.startSession(sessionKey(token), memberId);
  return { token, memberId };
}

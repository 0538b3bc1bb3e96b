// The shop's sign-in, such as it is: every visitor is a member, named by a cookie the shop sets.
// The pages, "my orders" and the kit's `identifyCustomer` all read the member from it.
import { parse } from 'hono/utils/cookie';

export const MEMBER_COOKIE = 'dalbit_member';
export const MEMBER_ID = /^mem_[A-Za-z0-9_-]{16,40}$/;

/** The member a request's cookie names, or undefined (no cookie, or not one the shop issued). */
export function memberIdOf(request: Request): string | undefined {
  const id = parse(request.headers.get('cookie') ?? '', MEMBER_COOKIE)[MEMBER_COOKIE];
  return id !== undefined && MEMBER_ID.test(id) ? id : undefined;
}

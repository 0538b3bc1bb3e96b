// The shop behind a TLS-terminating reverse proxy (`--trust-proxy`): its cookies are Secure when the
// proxy says the browser came over https, the catalog's return URL is https, and clients are told
// apart by the address the proxy forwards, which is what the admin's sign-in throttle counts: five
// wrong passwords free, then an address waits (30 s, doubling) with its attempts not even checked.
import { expect, test } from './support/fixtures.js';
import { ADMIN_PASSWORD, type RunningShop } from './support/shop.js';

test.use({ shopArgs: ['--trust-proxy'] });

/** A request as the proxy passes it on: the client's address appended to X-Forwarded-For, and the scheme it came by. */
const viaProxy = (shop: RunningShop, path: string, client: { address: string; proto?: 'https' | 'http'; authorization?: string }) =>
  fetch(`${shop.url}${path}`, {
    redirect: 'manual',
    headers: {
      'x-forwarded-for': client.address,
      ...(client.proto ? { 'x-forwarded-proto': client.proto } : {}),
      ...(client.authorization ? { authorization: client.authorization } : {}),
    },
  });

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const cookieNamed = (response: Response, name: string) => response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));

test('over https (as the proxy says) the session and language cookies are Secure and the catalog returns to https; over http they are not', async ({ shop }) => {
  const secure = await viaProxy(shop, '/', { address: '203.0.113.20', proto: 'https' });
  expect(cookieNamed(secure, 'dalbit_session')).toMatch(/; Secure/);
  expect(cookieNamed(secure, 'dalbit_session')).toMatch(/; HttpOnly/);
  const host = new URL(shop.url).host;
  expect(await secure.text()).toContain(`redirect-url="https://${host}/complete"`);
  const lang = await viaProxy(shop, '/lang/en?back=/', { address: '203.0.113.20', proto: 'https' });
  expect(lang.status).toBe(303);
  expect(cookieNamed(lang, 'lang')).toMatch(/^lang=en;.*; Secure/);

  const plain = await viaProxy(shop, '/', { address: '203.0.113.20', proto: 'http' });
  expect(cookieNamed(plain, 'dalbit_session')).not.toMatch(/Secure/);
  expect(await plain.text()).toContain(`redirect-url="http://${host}/complete"`);
});

test('admin sign-in: five wrong passwords free, then the address waits and its attempts, even the right one, are not checked', async ({ shop }) => {
  const attacker = '203.0.113.66';
  // A browser's first request carries no credentials: it is asked, not counted.
  for (let i = 0; i < 3; i++) expect((await viaProxy(shop, '/admin', { address: attacker })).status).toBe(401);
  // Counted in attempts (1,349 a second got through before): five wrong passwords are checked…
  for (let i = 0; i < 5; i++) expect((await viaProxy(shop, '/admin/api/state', { address: attacker, authorization: basic(`guess-${i}`) })).status, `guess ${i + 1}`).toBe(401);
  // …the sixth too, and it locks the address out for 30 s; of the next fifty, none is checked.
  expect((await viaProxy(shop, '/admin/api/state', { address: attacker, authorization: basic('guess-5') })).status).toBe(401);
  const statuses: number[] = [];
  for (let i = 0; i < 50; i++) statuses.push((await viaProxy(shop, '/admin/api/state', { address: attacker, authorization: basic(`guess-${6 + i}`) })).status);
  expect(new Set(statuses)).toEqual(new Set([429]));
  const locked = await viaProxy(shop, '/admin/api/state', { address: attacker, authorization: basic(ADMIN_PASSWORD) });
  expect(locked.status, 'the right password is not even checked while locked out').toBe(429);
  expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  expect(await locked.text()).toMatch(/^Too many wrong passwords from this address: try again in \d+ s$/);
  expect(shop.output()).toContain(`[admin] wrong password from ${attacker}: its next attempt is checked in 30 s`);

  // Another address, the admin's, is not locked out; a claimed X-Forwarded-For entry before the
  // proxy's own does not unlock the attacker's.
  expect((await viaProxy(shop, '/admin/api/state', { address: '198.51.100.7', authorization: basic(ADMIN_PASSWORD) })).status).toBe(200);
  expect((await viaProxy(shop, '/admin/api/state', { address: `198.51.100.7, ${attacker}`, authorization: basic(ADMIN_PASSWORD) })).status).toBe(429);
});

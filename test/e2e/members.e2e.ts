// Who the shopper is: a random session token in an httpOnly cookie, which the shop maps to a member.
// The member id is the customerId PortOne, the orders and the admin page see, so knowing it must
// not sign anyone in.
import { expect, paymentIdOf, scriptOutcome, test } from './support/fixtures.js';
import { SESSION_COOKIE, memberIdOf, orderRow } from './support/shop.js';

test('the session cookie is not the customer id: knowing a member id opens nothing', async ({ page, browser, shop }) => {
  // A member pays on the plain-HTML catalog, with the name they check out under.
  const prepared: { customer?: { customerId?: string } }[] = [];
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname === '/portone/payments/prepare' && response.ok()) prepared.push(await response.json());
  });
  await page.goto('/');
  await scriptOutcome(page, 'approve');
  await page.getByRole('button', { name: '바로 구매' }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  const paymentId = paymentIdOf(page);

  const memberId = await memberIdOf(shop, page.context());
  const cookie = (await page.context().cookies(shop.url)).find((c) => c.name === SESSION_COOKIE)!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(cookie.value).not.toBe(memberId);
  expect(cookie.value).not.toContain(memberId);
  // The member id is what PortOne and the kit's order carry as the customer…
  expect(orderRow(shop, paymentId)!.customer_id).toBe(memberId);
  expect(prepared.at(-1)?.customer?.customerId).toBe(memberId);
  // …and the pages carry neither the id nor the token: only the details that prefill the forms.
  await page.goto('/checkout');
  const config = JSON.parse((await page.locator('#shop-config').textContent())!) as { member: Record<string, string> };
  expect(Object.keys(config.member).sort()).toEqual(['email', 'name', 'phone']);
  const html = await page.content();
  expect(html).not.toContain(memberId);
  expect(html).not.toContain(cookie.value);

  // Someone who learned the customer id (from PortOne's console, a receipt, the admin page) sets it
  // as the cookie, the way the old cookie worked: they are a new, different member.
  const stranger = await browser.newContext({ baseURL: shop.url });
  await stranger.addCookies([{ name: SESSION_COOKIE, value: memberId, url: shop.url }]);
  const strangerPage = await stranger.newPage();
  const theirOrders = await strangerPage.request.get('/api/me/orders');
  expect(theirOrders.status()).toBe(200);
  expect(await theirOrders.json()).toEqual({ orders: [], subscriptions: [] });
  expect((await strangerPage.request.get(`/api/me/orders/${encodeURIComponent(paymentId)}`)).status()).toBe(404);
  await strangerPage.goto('/orders');
  await expect(strangerPage.locator(`[data-payment-id="${paymentId}"]`)).toHaveCount(0);
  expect(await memberIdOf(shop, stranger)).not.toBe(memberId);
  // A made-up token of the right shape is no better.
  await stranger.clearCookies();
  await stranger.addCookies([{ name: SESSION_COOKIE, value: 'A'.repeat(43), url: shop.url }]);
  expect(await (await strangerPage.request.get('/api/me/orders')).json()).toEqual({ orders: [], subscriptions: [] });
  await stranger.close();

  // The member's own session, in another browser, does see the order: the checks above could fail.
  const sameMember = await browser.newContext({ baseURL: shop.url });
  await sameMember.addCookies([{ name: SESSION_COOKIE, value: cookie.value, url: shop.url }]);
  const mine = await (await sameMember.request.get('/api/me/orders')).json();
  expect(mine.orders.map((order: { paymentId: string }) => order.paymentId)).toContain(paymentId);
  await sameMember.close();
});

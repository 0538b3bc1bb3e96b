// The shop's maintenance, as a live shop must run it: reconcile() and pruneAbandoned() on timers. A
// payment whose webhook and complete call were both lost is found and fulfilled by the reconcile
// timer; an abandoned order is deleted by the prune timer once old; the admin shows both jobs.
import { expect, lastRequestId, scriptOutcome, test, trackRequests } from './support/fixtures.js';
import { fulfilments, orderRow, paidHookRuns, query, sandboxControl } from './support/shop.js';

const DAY_MS = 86_400_000;
const PREPARE = '/portone/payments/prepare';
const CART = { items: [{ id: 'house-blend', quantity: 1 }], payMethod: 'CARD' };

// A clock only the test moves (to make an order 31 days old), and both jobs every second.
test.use({ shopArgs: ['--sandbox-clock', 'manual', '--reconcile-every', '1s', '--reconcile-after', '0', '--prune-every', '1s'] });

test('the reconcile timer records and fulfils a payment whose webhook and complete were both lost; the prune timer deletes an abandoned order', async ({ page, admin, shop }) => {
  // PortOne's webhooks never arrive, and the browser's complete call never reaches the shop.
  await sandboxControl(shop, '/sandbox/faults', { webhooks: { dropRate: 1 } });
  let completes = 0;
  await page.route('**/portone/payments/complete', (route) => {
    completes++;
    return route.abort();
  });
  await trackRequests(page);
  await page.goto('/');
  await scriptOutcome(page, 'approve');
  await page.getByRole('button', { name: '바로 구매' }).click();
  const paymentId = await lastRequestId(page);
  await expect.poll(() => completes).toBeGreaterThan(0);

  // Nobody told the kit; its timer asks PortOne, records the payment and runs onPaid, once.
  await expect.poll(() => orderRow(shop, paymentId)?.status, { timeout: 20_000 }).toBe('PAID');
  await expect.poll(() => fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'TO_SHIP', amount: 27_000 })]);
  expect(paidHookRuns(shop, paymentId)).toBe(1);
  expect(query(shop, 'checkout.sqlite', 'SELECT * FROM webhook_deliveries WHERE payment_id = ?', paymentId)).toEqual([]);
  // Logged when the reconcile run that recorded it ends, which may be a moment after the order is PAID.
  await expect.poll(() => shop.output()).toMatch(/\[maintenance\] reconcile: checked \d+, updated 1,/);

  // An order prepared and left (no window ever opened): reconcile finds no payment for it…
  const prepared = await page.request.post(PREPARE, { data: CART });
  expect(prepared.status()).toBe(200);
  const abandoned = ((await prepared.json()) as { paymentId: string }).paymentId;
  await expect.poll(() => query<{ checked_at: number | null }>(shop, 'checkout.sqlite', 'SELECT checked_at FROM orders WHERE payment_id = ?', abandoned)[0]?.checked_at).not.toBeNull();
  // …and 31 days later (30 is the default age) the prune timer deletes it; the paid order stays.
  await sandboxControl(shop, '/sandbox/advance', { ms: 31 * DAY_MS });
  await expect.poll(() => orderRow(shop, abandoned), { timeout: 20_000 }).toBeUndefined();
  expect(orderRow(shop, paymentId)?.status).toBe('PAID');
  await expect.poll(() => shop.output()).toMatch(/\[maintenance\] pruneAbandoned: [1-9]\d* abandoned orders idle over 30d deleted/);

  // The admin sees when each job ran and what it found.
  await admin.goto('/admin');
  const reconcile = admin.locator('tr[data-job="reconcile"]');
  await expect(reconcile).toContainText('결제 대사 (reconcile)');
  await expect(reconcile).toContainText('1s');
  await expect(reconcile.locator('[data-cell="result"]')).toContainText(/확인 \d+건 · 갱신 \d+건 · 환불 0건 · 확인 실패 0건/);
  const prune = admin.locator('tr[data-job="prune"]');
  await expect(prune.locator('[data-cell="result"]')).toContainText(/\d+건 삭제/);
  expect(query<{ job: string; error: string | null }>(shop, 'shop.sqlite', 'SELECT job, error FROM job_runs ORDER BY job')).toEqual([
    { job: 'prune', error: null },
    { job: 'reconcile', error: null },
  ]);
});

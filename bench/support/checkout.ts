// What the complete benchmarks share: the shop's one product, orders prepared through a kit and paid
// in the sandbox window (not completed), the complete requests, the bare handler every complete
// figure is compared with, and the arithmetic of the figures.
import { availableParallelism, loadavg } from 'node:os';
import { PortOneClient } from '@portone/server-sdk';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { PricedOrder } from '../../src/server/index.js';
import { serveCheckout, type ServedCheckout } from '../../src/server/node.js';
import { runLoad, type LoadRequest, type LoadResult } from './load.js';

/** Concurrent keep-alive connections of every complete benchmark. */
export const CONNECTIONS = 32;

export const priceOrder = (): PricedOrder => ({
  orderName: '커피 원두 1kg',
  totalAmount: 32_000,
  currency: 'KRW',
  lines: [{ id: 'beans', name: '커피 원두 1kg', quantity: 1, unitAmount: 32_000 }],
});

/**
 * Orders prepared through `kit` and paid in the window, as shoppers would have; not completed.
 * `kit` may be any instance on the store the measured kits use.
 */
export async function paidOrders(kit: { fetch(request: Request): Promise<Response> }, sandbox: Sandbox, count: number): Promise<string[]> {
  const ids: string[] = [];
  const one = async () => {
    const answer = await kit.fetch(
      new Request('http://bench.test/payments/prepare', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ id: 'beans', quantity: 1 }] }) }),
    );
    const prepared = await answer.json();
    if (answer.status !== 200) throw new Error(`setup prepare answered ${answer.status}: ${JSON.stringify(prepared)}`);
    await sandbox.pay({ paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, channelKey: prepared.channelKey, customData: prepared.customData });
    // Also has the sandbox serialize the payment now (it keeps those bytes until the payment changes),
    // so whichever measured round reads it first does not pay for that alone.
    if (sandbox.payment(prepared.paymentId)?.status !== 'PAID') throw new Error(`setup: payment ${prepared.paymentId} is not PAID in the sandbox`);
    ids.push(prepared.paymentId);
  };
  for (let i = 0; i < count; i += 16) await Promise.all(Array.from({ length: Math.min(16, count - i) }, one));
  return ids;
}

/** `POST /payments/complete` for each payment, spread round robin over `bases` (one kit, or a fleet's instances). */
export const completes = (bases: string | readonly string[], ids: readonly string[]): LoadRequest[] => {
  const list = typeof bases === 'string' ? [bases] : bases;
  return ids.map((paymentId, i) => ({ method: 'POST', url: `${list[i % list.length]}/payments/complete`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId }) }));
};

/** Prints a round and refuses one with an answer outside 2xx or a request unanswered. */
export const check = (name: string, result: LoadResult, expected: number): void => {
  console.log(`${name}: ${result.rps} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.requests} requests, statuses ${JSON.stringify(result.statuses)}`);
  if (result.errors > 0) throw new Error(`${name}: ${result.errors} answers outside 2xx`);
  if (result.requests !== expected) throw new Error(`${name}: expected ${expected} answers, got ${result.requests}`);
};

/** Each request exactly once, all measured: a round is one pass over its payments (bounded at two minutes). */
export const once = (requests: LoadRequest[]): Promise<LoadResult> => runLoad({ requests, connections: CONNECTIONS, durationMs: 120_000, once: true });

/** The baseline: what any complete endpoint must at least do — read the body, fetch the payment, answer. */
export function serveBare(sandbox: Sandbox): Promise<ServedCheckout> {
  const client = PortOneClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url, storeId: sandbox.storeId });
  return serveCheckout({
    async fetch(request: Request) {
      const { paymentId } = (await request.json()) as { paymentId: string };
      const payment = await client.payment.getPayment({ paymentId, storeId: sandbox.storeId });
      return Response.json({ payment });
    },
  });
}

export const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
/** The middle value (of an odd count; the upper middle of an even one). */
export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const loadAverage = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
export const cores = (): number => availableParallelism();

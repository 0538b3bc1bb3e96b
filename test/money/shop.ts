// The shop the interleaving checker runs against, in this process: one kit on SQLite, served on
// loopback so the sandbox's webhooks reach it, its hooks recording what they fulfil and refund — and,
// with `stock`, limited products its reserve and release hooks keep (stock.ts), reachable through
// both gates: any payment channel (the sandbox's manual-approval ones too) and the confirm route.
import type { Sandbox } from '../../src/sandbox/index.js';
import { createCheckoutServer, type CheckoutServer, type CheckoutServerOptions } from '../../src/server/index.js';
import { serveCheckout, type ServedCheckout } from '../../src/server/node.js';
import { createSqliteStore } from '../../src/server/store/sqlite/index.js';
import { priceOrder } from '../server/support.js';
import type { Fulfilment, RefundRecord, ShopUnderTest } from './checker.js';
import { memoryStock, stockPriceOrder } from './stock.js';

export interface InProcessShop extends ShopUnderTest {
  kit: CheckoutServer;
  served: ServedCheckout;
  close(): Promise<void>;
}

/**
 * A kit as a shop configures it, its hooks recording into memory; webhooks from `sandbox` go to it.
 * With `stock: { seed }` the shop sells limited products too: its catalog has them, `reserve` and
 * `release` keep their stock, and the payment channel is not pinned, so a window may use the
 * sandbox's manual-approval channel (a shop with one channel pins it; this one has both kinds).
 */
export async function inProcessShop(sandbox: Sandbox, options: Partial<CheckoutServerOptions> = {}, stockOptions?: { seed: number }): Promise<InProcessShop> {
  const fulfilled: Fulfilment[] = [];
  const refunded: RefundRecord[] = [];
  const stock = stockOptions && memoryStock(stockOptions.seed);
  const kit = createCheckoutServer({
    portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
    webhookSecret: sandbox.webhookSecret,
    priceOrder,
    store: createSqliteStore({ path: ':memory:' }),
    allowTestChannels: true,
    channelKeys: { payment: sandbox.channelKeys.payment },
    hookPollMs: 0,
    logger: {},
    now: () => sandbox.now(),
    onPaid: ({ order }) => {
      fulfilled.push({ paymentId: order.paymentId, totalAmount: order.totalAmount, lines: order.lines.map(({ id, quantity, unitAmount }) => ({ id, quantity, unitAmount })) });
      stock?.sell(order);
    },
    onCancelled: ({ order, cancellation }) => void refunded.push({ paymentId: order.paymentId, cancellationId: cancellation.id, amount: cancellation.amount }),
    ...(stock
      ? {
          priceOrder: stockPriceOrder,
          channelKeys: {},
          reserve: (event) => stock.reserve(event),
          release: (event) => stock.release(event),
          // The shop's inventory service fails now and then: its retries come round quickly here.
          hookRetry: { baseDelayMs: 20 },
        }
      : {}),
    ...options,
  });
  await kit.ready;
  const served = await serveCheckout(kit);
  sandbox.setWebhookUrls([`${served.url}/webhooks`]);
  return {
    kit,
    served,
    fetch: (request) => kit.fetch(request),
    cancel: (paymentId, cancelOptions) => kit.cancel(paymentId, cancelOptions),
    reconcile: (reconcileOptions) => kit.reconcile(reconcileOptions),
    runDueEvents: () => kit.runDueEvents(),
    getOrder: (paymentId) => kit.getOrder(paymentId),
    fulfilments: async () => [...fulfilled],
    refunds: async () => [...refunded],
    ...(stock
      ? {
          stock: stock.port,
          confirmUrl: () => `${served.url}/confirm`,
          pendingEvents: async () => (await kit.listEvents({ statuses: ['pending', 'running'], limit: 1_000 })).length,
        }
      : {}),
    async close() {
      await sandbox.flushWebhooks().catch(() => {});
      await served.close();
      await kit.close();
    },
  };
}

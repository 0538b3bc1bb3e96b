// The shop the interleaving checker runs against, in this process: one kit on SQLite, served on
// loopback so the sandbox's webhooks reach it, its hooks recording what they fulfil and refund.
import type { Sandbox } from '../../src/sandbox/index.js';
import { createCheckoutServer, type CheckoutServer, type CheckoutServerOptions } from '../../src/server/index.js';
import { serveCheckout, type ServedCheckout } from '../../src/server/node.js';
import { createSqliteStore } from '../../src/server/store/sqlite.js';
import { priceOrder } from '../server/support.js';
import type { Fulfilment, RefundRecord, ShopUnderTest } from './checker.js';

export interface InProcessShop extends ShopUnderTest {
  kit: CheckoutServer;
  served: ServedCheckout;
  close(): Promise<void>;
}

/** A kit as a shop configures it, its hooks recording into memory; webhooks from `sandbox` go to it. */
export async function inProcessShop(sandbox: Sandbox, options: Partial<CheckoutServerOptions> = {}): Promise<InProcessShop> {
  const fulfilled: Fulfilment[] = [];
  const refunded: RefundRecord[] = [];
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
    onPaid: ({ order }) =>
      void fulfilled.push({ paymentId: order.paymentId, totalAmount: order.totalAmount, lines: order.lines.map(({ id, quantity, unitAmount }) => ({ id, quantity, unitAmount })) }),
    onCancelled: ({ order, cancellation }) => void refunded.push({ paymentId: order.paymentId, cancellationId: cancellation.id, amount: cancellation.amount }),
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
    async close() {
      await sandbox.flushWebhooks().catch(() => {});
      await served.close();
      await kit.close();
    },
  };
}

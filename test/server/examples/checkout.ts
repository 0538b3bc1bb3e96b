import { badCart, createCheckoutServer } from 'portone-checkout-kit/server';

const PRODUCTS: Record<string, { name: string; price: number }> = {
  beans: { name: '커피 원두 1kg', price: 32_000 },
  dripper: { name: '핸드드립 드리퍼', price: 18_000 },
};

/** Stand-ins for the shop's own database and session store (session id → signed-in member). */
export const shipments: { orderId: string; eventId: string }[] = [];
export const sessions = new Map<string, { customerId: string; fullName: string; email: string }>();

export const kit = createCheckoutServer({
  portone: {
    apiSecret: process.env.PORTONE_API_SECRET!,
    storeId: process.env.PORTONE_STORE_ID!,
    baseUrl: process.env.PORTONE_API_URL, // unset: https://api.portone.io
  },
  webhookSecret: process.env.PORTONE_WEBHOOK_SECRET!,
  channelKeys: { payment: process.env.PORTONE_CHANNEL_KEY },
  // Closed unless asked for: a server that forgot its settings must not fulfil TEST-channel payments.
  allowTestChannels: process.env.PORTONE_ALLOW_TEST_CHANNELS === '1',
  basePath: '/portone',
  database: process.env.CHECKOUT_DATABASE ?? './.data/checkout.sqlite',

  // Who pays comes from the shop's session, never from the browser (undefined: a guest).
  identifyCustomer(request) {
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
    return sid ? sessions.get(sid) : undefined;
  },

  // The only place a price comes from: the server's own catalog.
  priceOrder({ items = [] }) {
    const lines = items.map(({ id, quantity }) => {
      const product = PRODUCTS[id];
      if (!product) throw badCart(`items: expected one of ${Object.keys(PRODUCTS).join(', ')}, got "${id}"`);
      return { id, name: product.name, quantity, unitAmount: product.price };
    });
    const totalAmount = lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
    const orderName = lines.length > 1 ? `${lines[0]!.name} 외 ${lines.length - 1}건` : lines[0]!.name;
    return { orderName, totalAmount, currency: 'KRW', lines };
  },

  plans: {
    monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW', interval: '1m' },
  },

  // Runs once per paid order, after the payment is verified and recorded; retried if it throws.
  async onPaid({ order, eventId }) {
    if (shipments.some((s) => s.eventId === eventId)) return; // idempotent, in case a crash re-runs it
    shipments.push({ orderId: order.orderId, eventId });
  },
});

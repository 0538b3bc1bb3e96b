// The shop's verification kit, mounted by app/portone/[...path]/route.ts. Building it reads no
// setting and opens no file (the first request does), so `next build` needs no PortOne secrets;
// one kit per process, so `next dev`'s module reloads do not open another store each edit.
import { badCart, createCheckoutServer, type CheckoutServer } from 'portone-checkout-kit/server';

const PRODUCTS: Record<string, { name: string; price: number }> = {
  beans: { name: '커피 원두 1kg', price: 32_000 },
};

const cache = globalThis as typeof globalThis & { checkoutKit?: CheckoutServer };

export const kit = (cache.checkoutKit ??= createCheckoutServer(() => ({
  portone: {
    apiSecret: process.env.PORTONE_API_SECRET!,
    storeId: process.env.PORTONE_STORE_ID!,
    baseUrl: process.env.PORTONE_BASE_URL,
  },
  webhookSecret: process.env.PORTONE_WEBHOOK_SECRET!,
  channelKeys: { payment: process.env.PORTONE_CHANNEL_KEY },
  allowTestChannels: process.env.PORTONE_ALLOW_TEST_CHANNELS === '1',
  basePath: '/portone',
  database: process.env.CHECKOUT_DATABASE ?? './.data/checkout.sqlite',
  priceOrder({ items = [] }) {
    const lines = items.map(({ id, quantity }) => {
      const product = PRODUCTS[id];
      if (!product) throw badCart(`items: expected one of ${Object.keys(PRODUCTS).join(', ')}, got "${id}"`);
      return { id, name: product.name, quantity, unitAmount: product.price };
    });
    return { orderName: lines[0]!.name, totalAmount: lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0), currency: 'KRW', lines };
  },
})));

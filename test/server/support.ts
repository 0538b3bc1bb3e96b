// Builders for the kit's tests: a small catalog priced on the server, a kit on an in-memory store,
// Requests to its routes, Standard Webhooks signatures made with node:crypto, and a snapshot of
// everything the store holds (to prove a refused request changed nothing).
import { createHmac, randomBytes } from 'node:crypto';
import { badCart, createCheckoutServer, type CheckoutServer, type CheckoutServerOptions, type PricedOrder } from '../../src/server/index.js';
import { createSqliteStore } from '../../src/server/store/sqlite.js';
import type { Cart } from '../../src/server/options.js';

export const CATALOG: Record<string, { name: string; price: number }> = {
  beans: { name: '커피 원두 1kg', price: 32_000 },
  dripper: { name: '핸드드립 드리퍼', price: 18_000 },
  sticker: { name: '스티커', price: 1_500 },
};

/** Orders the "shop" created before checkout, priceable by `orderId`. */
export const SHOP_ORDERS: Record<string, { id: string; quantity: number }[]> = {
  'shop-order-1': [{ id: 'beans', quantity: 2 }],
};

export function priceOrder(cart: Cart): PricedOrder {
  const items = cart.orderId !== undefined ? (Object.hasOwn(SHOP_ORDERS, cart.orderId) ? SHOP_ORDERS[cart.orderId] : undefined) : cart.items;
  if (!items) throw badCart(`orderId: expected one of the shop's orders, got ${JSON.stringify(cart.orderId)}`);
  const lines = items.map((item) => {
    const product = Object.hasOwn(CATALOG, item.id) ? CATALOG[item.id] : undefined;
    if (!product) throw badCart(`items: expected product ids from the catalog (${Object.keys(CATALOG).join(', ')}), got ${JSON.stringify(item.id)}`);
    return { id: item.id, name: product.name, quantity: item.quantity, unitAmount: product.price };
  });
  const total = lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  const first = lines[0]!.name;
  return {
    orderName: lines.length > 1 ? `${first} 외 ${lines.length - 1}건` : first,
    totalAmount: total,
    currency: 'KRW',
    lines,
    ...(cart.customer ? { customer: cart.customer } : {}),
  };
}

/** A whsec_ secret like PortOne's: 24 random bytes, base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export const API_SECRET = 'test-api-secret-9f8e7d6c5b4a39281706';
export const STORE_ID = 'store-00000000-0000-0000-0000-000000000001';
export const WEBHOOK_SECRET = newWebhookSecret();

/** Nothing listens here: a test whose request reached PortOne would get a 503, not the 4xx it expects. */
export const UNREACHABLE_PORTONE = 'http://127.0.0.1:9';

export type TestKitOptions = Partial<CheckoutServerOptions>;

/** A kit on a fresh in-memory SQLite store, with no background timers. */
export function testKit(options: TestKitOptions = {}): CheckoutServer {
  return createCheckoutServer({
    portone: { apiSecret: API_SECRET, storeId: STORE_ID, baseUrl: UNREACHABLE_PORTONE, timeoutMs: 2_000 },
    webhookSecret: WEBHOOK_SECRET,
    priceOrder,
    store: createSqliteStore({ path: ':memory:' }),
    hookPollMs: 0,
    logger: {},
    ...options,
  });
}

export const ORIGIN = 'http://shop.test';

export function post(path: string, body: unknown, init: { headers?: Record<string, string>; raw?: string | Uint8Array } = {}): Request {
  const payload = init.raw ?? JSON.stringify(body);
  return new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: payload as BodyInit,
  });
}

export const get = (path: string): Request => new Request(`${ORIGIN}${path}`);

export async function call(kit: CheckoutServer, request: Request): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await kit.fetch(request);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Left as text.
  }
  return { status: response.status, body, headers: response.headers };
}

/** Signs a body the way PortOne does (Standard Webhooks v1): HMAC-SHA256 over `id.timestamp.body` with the secret's key. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface WebhookParts {
  type?: string;
  data?: Record<string, unknown>;
  id?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  secret?: string;
  body?: string;
  headers?: Record<string, string>;
}

let webhookCounter = 0;

/** One valid signed webhook request; each test overrides exactly one part. */
export function webhookRequest(parts: WebhookParts = {}, path = '/webhooks'): Request {
  const body =
    parts.body ??
    JSON.stringify({
      type: parts.type ?? 'Transaction.Paid',
      timestamp: new Date().toISOString(),
      data: parts.data ?? { paymentId: 'pay_unknown', storeId: STORE_ID, transactionId: 'tx-1' },
    });
  const id = parts.id ?? `msg_${Date.now()}_${++webhookCounter}`;
  const timestamp = parts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign(parts.secret ?? WEBHOOK_SECRET, id, timestamp, body),
    ...parts.headers,
  };
  return new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body });
}

/** Everything the store holds, to compare before and after a refused request. */
export async function snapshot(kit: CheckoutServer) {
  return {
    orders: await kit.listOrders({ limit: 10_000 }),
    events: await kit.listEvents({ limit: 10_000 }),
    webhooks: await kit.listWebhookDeliveries({ limit: 10_000 }),
    billingKeys: await kit.listBillingKeys({ limit: 10_000 }),
    subscriptions: await kit.listSubscriptions({ limit: 10_000 }),
  };
}

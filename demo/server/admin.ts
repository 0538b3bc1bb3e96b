// The shop's back office, behind HTTP basic auth (failed passwords slow a client down, see
// limits.ts): every order, the webhooks the kit received, the subscriptions and PortOne's schedules
// (the sandbox's, or PortOne's API), the maintenance jobs, refunds, the small batches' stock, and on
// the sandbox its "deposit" and "run due schedules" buttons.
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Sandbox } from 'portone-checkout-kit/sandbox';
import type { CheckoutServer } from 'portone-checkout-kit/server';
import { PRODUCTS } from '../shared/catalog.js';
import { addressKey } from './clients.js';
import { SignInThrottle } from './limits.js';
import type { Maintenance } from './maintenance.js';
import type { PageContext, PageName, PageStore } from './pages.js';
import type { ListSchedules } from './schedules.js';
import type { ShopDb } from './shop-db.js';
import type { ShopEnv } from './shop-env.js';

export const ADMIN_USER = 'admin';

export interface AdminDeps {
  kit: CheckoutServer;
  db: ShopDb;
  pages: PageStore;
  pageContext: (c: Context<ShopEnv>, page: PageName) => PageContext;
  password: string;
  log: (line: string) => void;
  /** PortOne's payment schedules: the sandbox's, or PortOne's API. */
  schedules: ListSchedules;
  /** The reconcile and prune timers: when each last ran and what it found. */
  maintenance: Pick<Maintenance, 'status'>;
  sandbox?: Sandbox;
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function authorized(header: string | undefined, password: string): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon !== -1 && same(decoded.slice(0, colon), ADMIN_USER) && same(decoded.slice(colon + 1), password);
}

const problem = (c: Context, status: 400 | 404 | 409 | 415, code: string, message: string) => c.json({ code, message }, status);

/** The kit's and the sandbox's errors carry a stable code and a message saying what was expected. */
function failure(c: Context, error: unknown) {
  const e = error as { code?: string; message?: string; status?: number };
  const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 409;
  return c.json({ code: e.code ?? 'FAILED', message: e.message ?? String(error) }, status as 409);
}

export function adminRoutes({ kit, db, pages, pageContext, password, log, schedules, maintenance, sandbox }: AdminDeps): Hono<ShopEnv> {
  const admin = new Hono<ShopEnv>();
  // Per client address: five wrong passwords free, then 30 s, 1 min, 2 min … up to 15 minutes
  // between checked attempts. A locked-out client's attempts are not checked at all.
  const throttle = new SignInThrottle({ baseDelayMs: 30_000 });

  admin.use('*', async (c, next) => {
    const client = addressKey(c.get('clientAddress'));
    const wait = throttle.wait(client);
    if (wait !== undefined) {
      return c.text(`Too many wrong passwords from this address: try again in ${wait} s`, 429, { 'retry-after': String(wait) });
    }
    const credentials = c.req.header('authorization');
    if (!authorized(credentials, password)) {
      // A browser asks without credentials first: only a password that was tried counts as a failure.
      if (credentials !== undefined) {
        const locked = throttle.failed(client);
        if (locked > 0) log(`[admin] wrong password from ${client}: its next attempt is checked in ${locked} s`);
      }
      return c.text('Authentication required', 401, { 'www-authenticate': 'Basic realm="Dalbit admin", charset="UTF-8"' });
    }
    throttle.succeeded(client);
    // Actions are JSON POSTs: a cross-site form cannot send them, so basic auth alone is no CSRF hole.
    if (c.req.method === 'POST' && !(c.req.header('content-type') ?? '').startsWith('application/json')) {
      return problem(c, 415, 'JSON_REQUIRED', 'content-type: expected application/json');
    }
    await next();
  });

  admin.get('/', (c) => c.html(pages.render('admin', pageContext(c, 'admin')), 200, { 'cache-control': 'no-store' }));

  admin.get('/api/state', async (c) => {
    // Orders no payment window was opened for (carts being edited, periods not yet due) only on request.
    const started = c.req.query('pending') === '1' ? {} : { started: true };
    const [orders, webhooks, subscriptions, scheduled] = await Promise.all([
      kit.listOrders({ limit: 300, ...started }),
      kit.listWebhookDeliveries({ limit: 100 }),
      kit.listSubscriptions({ limit: 100 }),
      // PortOne unreachable: the rest of the page still shows, with the reason where the schedules go.
      schedules().then(
        (rows) => ({ rows }),
        (error: unknown) => ({ rows: [], error: error instanceof Error ? error.message : String(error) }),
      ),
    ]);
    const fulfilments = db.fulfilments(300);
    const customerIds = new Set([...orders.map((o) => o.customer?.customerId), ...subscriptions.map((s) => s.customerId)].filter((id): id is string => id !== undefined));
    const members = Object.fromEntries([...customerIds].map((id) => [id, db.profile(id).name]));
    return c.json(
      {
        mode: sandbox ? 'sandbox' : 'portone',
        now: sandbox ? sandbox.now() : Date.now(),
        orders,
        members,
        webhooks,
        subscriptions,
        fulfilments,
        hookRuns: db.hookRuns(300),
        stock: db.stock(),
        maintenance: maintenance.status(),
        schedules: scheduled.rows,
        ...('error' in scheduled ? { schedulesError: scheduled.error } : {}),
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  admin.post('/api/orders/:paymentId/refund', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { amount?: unknown; reason?: unknown } | undefined;
    if (!body || typeof body !== 'object') return problem(c, 400, 'INVALID_REQUEST', 'body: expected JSON { amount?, reason? }');
    if (body.amount !== undefined && (typeof body.amount !== 'number' || !Number.isSafeInteger(body.amount) || body.amount <= 0)) {
      return problem(c, 400, 'INVALID_REQUEST', `amount: expected a positive whole number of won, got ${JSON.stringify(body.amount)}`);
    }
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 200) : '관리자 환불';
    try {
      const order = await kit.cancel(c.req.param('paymentId'), { reason, ...(body.amount !== undefined ? { amount: body.amount as number } : {}) });
      return c.json({ order });
    } catch (error) {
      return failure(c, error);
    }
  });

  // A restock (or a count corrected by hand): how many of a small batch are left now. Stock held for
  // payments being approved stays held; it is not part of this count.
  admin.post('/api/stock/:productId', async (c) => {
    const productId = c.req.param('productId');
    if (!PRODUCTS.some((product) => product.id === productId && product.limitedStock !== undefined)) {
      return problem(c, 404, 'NOT_FOUND', `productId: expected a small-batch product (${PRODUCTS.filter((p) => p.limitedStock !== undefined).map((p) => p.id).join(', ')}), got ${JSON.stringify(productId)}`);
    }
    const body = (await c.req.json().catch(() => undefined)) as { available?: unknown } | undefined;
    const available = body?.available;
    if (typeof available !== 'number' || !Number.isSafeInteger(available) || available < 0 || available > 10_000) {
      return problem(c, 400, 'INVALID_REQUEST', `available: expected a whole number from 0 to 10000, got ${JSON.stringify(available) ?? 'nothing'}`);
    }
    db.setStock(productId, available);
    log(`[admin] stock of ${productId} set to ${available}`);
    return c.json({ stock: db.stock() });
  });

  admin.post('/api/orders/:paymentId/deposit', async (c) => {
    if (!sandbox) return problem(c, 409, 'SANDBOX_ONLY', 'deposits are simulated on the sandbox only; on PortOne the shopper deposits at their bank');
    const paymentId = c.req.param('paymentId');
    try {
      await sandbox.deposit(paymentId);
      // PortOne announces the deposit with a webhook; wait for it so the answer shows the paid order.
      await sandbox.flushWebhooks();
      return c.json({ order: await kit.getOrder(paymentId) });
    } catch (error) {
      return failure(c, error);
    }
  });

  admin.post('/api/run-due-schedules', async (c) => {
    if (!sandbox) return problem(c, 409, 'SANDBOX_ONLY', 'the sandbox clock exists on the sandbox only; PortOne runs schedules at their time');
    const now = sandbox.now();
    const due = sandbox.schedules().filter((s) => s.status === 'SCHEDULED').map((s) => Date.parse(s.timeToPay));
    if (due.length === 0) return c.json({ advancedMs: 0, ran: 0, now });
    const next = Math.min(...due);
    // Everything scheduled up to the earliest time (and a second past it) runs, as it would by then.
    const advancedMs = Math.max(0, next - now) + 1_000;
    await sandbox.advance(advancedMs);
    await sandbox.flushWebhooks();
    const ran = sandbox.schedules().filter((s) => s.status !== 'SCHEDULED' && due.includes(Date.parse(s.timeToPay)) && Date.parse(s.timeToPay) <= now + advancedMs).length;
    return c.json({ advancedMs, ran, now: sandbox.now() });
  });

  return admin;
}

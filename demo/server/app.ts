// The shop's server: pages, product pictures, the checkout bundle, the shopper's order API, the
// admin area, and the verification kit mounted at /portone, all on one port. On the sandbox it
// also starts PortOne's stand-in and points its webhooks at the kit.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import type { Sandbox } from 'portone-checkout-kit/sandbox';
import { ORDER_STATUSES, type OrderStatus } from 'portone-checkout-kit';
import type { CheckoutServer, Order } from 'portone-checkout-kit/server';
import type { MyOrder, MyOrders, ShopperOrder } from '../shared/api.js';
import { PLANS, PRODUCTS, productById } from '../shared/catalog.js';
import { isLang, t } from '../shared/i18n.js';
import { productSvg } from '../shared/product-art.js';
import { adminRoutes } from './admin.js';
import { INICIS_LOGO_SVG, renderCatalog } from './catalog-page.js';
import { createShopCheckout } from './checkout.js';
import { addressKey, clientAddress, tagRequest } from './clients.js';
import { startMaintenance, type Maintenance } from './maintenance.js';
import { checkoutDatabase, storeError, type CheckoutStoreInfo } from './database.js';
import type { ShopOptions } from './options.js';
import { PAGE_NAV, PageStore, type PageConfig, type PageContext, type PageName } from './pages.js';
import { LANG_COOKIE, SESSION_COOKIE, memberIdOf, startSession } from './members.js';
import { TokenBuckets } from './limits.js';
import { prepareLimiter } from './prepare-limit.js';
import { dashboardLink, startSandbox } from './sandbox.js';
import { portOneSchedules, sandboxSchedules, type ListSchedules } from './schedules.js';
import { CSP_REPORT_PATH, RESOURCE_POLICY, SECURITY_HEADERS, isHttps, newNonce, pagePolicy, type PaymentOrigins } from './security.js';
import { openShopDb, type Profile, type ShopDb } from './shop-db.js';
import type { ShopEnv } from './shop-env.js';

export interface Shop {
  /** e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  /** The embedded sandbox, when not running against PortOne. */
  sandbox?: Sandbox;
  kit: CheckoutServer;
  db: ShopDb;
  /** The reconcile and prune timers. */
  maintenance: Maintenance;
  /** Where the kit keeps its records, as it may be shown (a PostgreSQL URL without its password). */
  checkoutStore: CheckoutStoreInfo;
  close(): Promise<void>;
}

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Where a shop finds the one-script-tag bundle: the package's `./portone-checkout.js` export. */
function bundlePath(): string {
  return createRequire(import.meta.url).resolve('portone-checkout-kit/portone-checkout.js');
}

function fileResponse(path: string, cacheControl: string): Response {
  try {
    const body = readFileSync(path);
    return new Response(body, { headers: { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': cacheControl } });
  } catch {
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}

/** A file under `root`, never outside it. */
function staticFile(root: string, relative: string, cacheControl: string): Response {
  const path = normalize(join(root, relative));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return new Response('Not found', { status: 404 });
  return fileResponse(path, cacheControl);
}

const svg = (body: string) => new Response(body, { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' } });

/**
 * Where `/lang/:code?back=` may send the shopper: a path of this site, never another one. Resolved
 * the way a browser will (which drops tabs and newlines, so `/\t/evil.example` means
 * `//evil.example`) and kept only when it lands on this origin as a single-slash path; anything
 * else goes home.
 */
export function sameSiteTarget(back: string | undefined, origin: string): string {
  if (back === undefined || !back.startsWith('/')) return '/';
  let target: URL;
  try {
    target = new URL(back, origin);
  } catch {
    return '/';
  }
  // `/.//evil.example` resolves on this origin to the path `//evil.example`, which a browser reads as another host.
  if (target.origin !== origin || target.pathname.startsWith('//')) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}

const memberDetails = ({ id: _, ...details }: Profile): PageConfig['member'] => details;

const MY_ORDER_STATUSES: OrderStatus[] = ORDER_STATUSES.filter((status) => status !== 'PENDING');

/** Only the fields a shopper may see of their own order (no other customers, no internal notes). */
export function shopperOrder(order: Order, db: ShopDb): ShopperOrder {
  return {
    paymentId: order.paymentId,
    reference: order.reference,
    kind: order.kind,
    status: order.status,
    orderName: order.orderName,
    totalAmount: order.totalAmount,
    cancelledAmount: order.cancelledAmount,
    currency: order.currency,
    payMethod: order.payMethod,
    plan: order.plan,
    lines: order.lines,
    paidAt: order.paidAt,
    createdAt: order.createdAt,
    virtualAccount: order.virtualAccount,
    failure: order.failure,
    flag: order.flag ? { refunded: order.flag.refundedAt !== undefined } : undefined,
    fulfilment: db.fulfilment(order.paymentId)?.status,
  };
}

/** The shop or its sandbox could not listen where it was told to: a port in use, an address not of this machine. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly server: 'shop' | 'sandbox',
    readonly code: 'EADDRINUSE' | 'EADDRNOTAVAIL' | 'EACCES',
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    super(`the ${server} could not listen on ${host}:${port} (${code})`, { cause });
  }
}

/** A listen failure the person starting the shop can fix, as a ListenError; anything else unchanged. */
function asListenError(server: 'shop' | 'sandbox', host: string, port: number, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES' ? new ListenError(server, code, host, port, error) : error;
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::';

/** How this machine reaches a server bound to `host`: loopback for a wildcard bind, IPv6 in brackets. */
const reachableHost = (host: string): string => (isWildcard(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

export async function startShop(options: ShopOptions, log: (line: string) => void = console.log): Promise<Shop> {
  mkdirSync(options.dataDir, { recursive: true });
  const pages = new PageStore(DIST);
  const db = openShopDb(join(options.dataDir, 'shop.sqlite'));
  db.seedStock(PRODUCTS);
  const cleanup: (() => Promise<void>)[] = [];
  let sandbox: Sandbox | undefined;
  let kit: CheckoutServer | undefined;
  let schedules: ListSchedules;
  // The kit's records: PostgreSQL when given a URL (the kit's default schema), else SQLite beside shop.sqlite.
  const { database, info: checkoutStore } = checkoutDatabase(options.database, options.dataDir);
  // What every kit setup shares, whichever PortOne it talks to.
  const shopSettings = {
    database,
    preRegister: options.preRegister,
    ...(options.prepareLimit ? { beforePrepare: prepareLimiter({ limit: options.prepareLimit, db, log, langCookie: LANG_COOKIE }) } : {}),
    ...(options.reconcileAfterMs !== undefined ? { reconcileAfterMs: options.reconcileAfterMs } : {}),
    ...(options.claimLeaseMs !== undefined ? { claimLeaseMs: options.claimLeaseMs } : {}),
    log,
    verbose: options.verbose,
  };
  try {
    const settings = options.portone;
    if (settings.mode === 'sandbox') {
      // The sandbox binds where the shop does: a phone that reaches the shop on the LAN must reach
      // the sandbox's SDK and window too.
      sandbox = await startSandbox({
        host: options.host,
        port: settings.port,
        clock: settings.clock,
        // The payment window names the shop, as KG Inicis shows the merchant.
        storeName: t('ko', 'shop.name'),
        persistPath: join(options.dataDir, 'sandbox.json'),
        ...(options.verbose ? { log: (line: string) => log(`[sandbox] ${line}`) } : {}),
      }).catch((error: unknown) => {
        throw asListenError('sandbox', options.host, settings.port, error);
      });
      const box = sandbox;
      schedules = sandboxSchedules(box);
      kit = createShopCheckout(
        {
          portone: { apiSecret: box.apiSecret, storeId: box.storeId, baseUrl: box.url },
          webhookSecret: box.webhookSecret,
          channelKeys: {
            payment: box.channelKeys.payment,
            limited: box.channels.find((channel) => channel.manualApproval)!.key,
            billingKey: box.channelKeys.billingKey,
            billingKeyAndPay: box.channelKeys.billingKeyAndPay,
            identity: box.channelKeys.identityVerification,
          },
          now: () => box.now(),
          ...shopSettings,
        },
        db,
      );
    } else {
      schedules = portOneSchedules(settings);
      kit = createShopCheckout(
        {
          portone: { apiSecret: settings.apiSecret, storeId: settings.storeId, ...(settings.apiUrl ? { baseUrl: settings.apiUrl } : {}) },
          webhookSecret: settings.webhookSecret,
          channelKeys: settings.channelKeys,
          ...(settings.publicUrl ? { noticeUrls: [`${settings.publicUrl}/portone/webhooks`] } : {}),
          ...shopSettings,
        },
        db,
      );
    }
    await kit.ready.catch((error: unknown) => {
      throw storeError(database, checkoutStore, error);
    });

    const maintenance = startMaintenance({ kit, db, settings: options.maintenance, log, verbose: options.verbose });
    cleanup.push(() => maintenance.stop());
    const app = shopApp({ options, log, pages, db, kit, schedules, maintenance, ...(sandbox ? { sandbox } : {}) });
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
      s.once('error', (error) => reject(asListenError('shop', options.host, options.port, error)));
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${reachableHost(options.host)}:${port}`;
    // The sandbox delivers webhooks to the kit, like PortOne does to the URL set in its console: at
    // the shop's own address, which is not loopback when the shop binds one LAN address.
    sandbox?.setWebhookUrls([`${url}/portone/webhooks`]);

    const opened = { sandbox, kit };
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      ...(sandbox ? { sandbox } : {}),
      kit,
      db,
      maintenance,
      checkoutStore,
      close() {
        closing ??= (async () => {
          // A reconcile or prune in progress finishes while the kit and the databases are still open.
          await maintenance.stop();
          await new Promise<void>((resolve) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => resolve());
          });
          await opened.sandbox?.close();
          await opened.kit.close();
          db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    // Whatever started before the failure stops again, so the process can exit on its own.
    for (const stop of cleanup) await stop().catch(() => {});
    await sandbox?.close().catch(() => {});
    await kit?.close().catch(() => {});
    db.close();
    throw error;
  }
}

interface AppDeps {
  options: ShopOptions;
  log: (line: string) => void;
  pages: PageStore;
  db: ShopDb;
  kit: CheckoutServer;
  schedules: ListSchedules;
  maintenance: Maintenance;
  sandbox?: Sandbox;
}

/** The shop's routes: pages, pictures, the bundle, the shopper's API, the kit at /portone, /admin. */
function shopApp({ options, log, pages, db, kit, schedules, maintenance, sandbox }: AppDeps): Hono<ShopEnv> {
  const mode = options.portone.mode;
  // The small batches are on sale only with a manual-approval channel to sell them through.
  const limitedOnSale = options.portone.mode === 'sandbox' || options.portone.channelKeys.limited !== undefined;
  // The adult-only ones, only with an identity channel to verify the buyer's age through.
  const adultOnSale = options.portone.mode === 'sandbox' || options.portone.channelKeys.identity !== undefined;
  const app = new Hono<ShopEnv>();

  // Every visitor has a language, an address the per-client limits count under, and every answer
  // the security headers: a page its policy (with this response's nonce), anything else none at all.
  app.use('*', async (c, next) => {
    const lang = getCookie(c, LANG_COOKIE);
    c.set('lang', isLang(lang) ? lang : 'ko');
    const address = clientAddress(getConnInfo(c).remote.address, c.req.header('x-forwarded-for'), options.trustProxy);
    c.set('clientAddress', address);
    c.set('https', isHttps(c.req.url, c.req.header('x-forwarded-proto'), options.trustProxy));
    // The kit's beforePrepare gets only the Request: it finds the address there.
    tagRequest(c.req.raw, { address });
    const nonce = newNonce();
    c.set('cspNonce', nonce);
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
    const page = (c.res.headers.get('content-type') ?? '').startsWith('text/html');
    c.res.headers.set('content-security-policy', page ? pagePolicy(nonce, paymentOrigins(c)) : RESOURCE_POLICY);
  });

  /**
   * The visitor's member: every visitor of a page is signed in as one (there is no sign-up in a
   * sample shop), a first visit getting a new session. Pictures, scripts and webhooks need none.
   */
  const member = (c: Context<ShopEnv>): string => {
    let memberId = c.get('memberId') ?? memberIdOf(c.req.raw, db);
    if (memberId === undefined) {
      const session = startSession(db);
      setCookie(c, SESSION_COOKIE, session.token, { path: '/', httpOnly: true, secure: c.get('https'), sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
      memberId = session.memberId;
    }
    c.set('memberId', memberId);
    return memberId;
  };

  /**
   * A sandbox URL as this browser can reach it. Bound to every interface, the sandbox announces
   * itself on loopback, which a phone on the LAN is not: use the host the browser reached the shop by.
   */
  const reachableFrom = (c: Context<ShopEnv>, href: string): string => {
    if (!isWildcard(options.host)) return href;
    const url = new URL(href);
    url.hostname = new URL(c.req.url).hostname;
    return url.href;
  };

  /** Where the page's payment windows come from: the sandbox (at the address this browser reaches it by), or PortOne. */
  const paymentOrigins = (c: Context<ShopEnv>): PaymentOrigins => (sandbox ? { mode: 'sandbox', origin: new URL(reachableFrom(c, sandbox.url)).origin } : { mode: 'portone' });

  /** The shop's origin as the browser sees it: https behind a TLS proxy that says so, though the proxy reached the shop over http. */
  const publicOrigin = (c: Context<ShopEnv>): string => {
    const url = new URL(c.req.url);
    return `${c.get('https') ? 'https:' : url.protocol}//${url.host}`;
  };

  const pageContext = (c: Context<ShopEnv>, page: PageName | 'catalog'): PageContext => {
    const lang = c.get('lang');
    const url = new URL(c.req.url);
    return {
      lang,
      path: `${url.pathname}${url.search}`,
      active: page === 'catalog' ? 'shop' : PAGE_NAV[page],
      mode,
      sandboxDashboardUrl: sandbox ? reachableFrom(c, dashboardLink(sandbox, page)) : undefined,
      // The member's details prefill the forms; their id and session stay on the server.
      config: { mode, lang, ...(sandbox ? { sdkUrl: reachableFrom(c, sandbox.sdkUrl) } : {}), member: memberDetails(db.profile(member(c))), stock: limitedOnSale ? db.stock() : {}, adult: { onSale: adultOnSale, verified: db.isAdult(member(c)) } },
    };
  };
  const page = (name: PageName, status: 200 | 404 = 200) => (c: Context<ShopEnv>) => c.html(pages.render(name, pageContext(c, name)), status, { 'cache-control': 'no-store' });

  app.get('/', (c) => c.html(renderCatalog(pageContext(c, 'catalog'), publicOrigin(c), c.get('cspNonce')), 200, { 'cache-control': 'no-store' }));
  app.get('/products/:id', (c) => page('product', productById(c.req.param('id')) ? 200 : 404)(c));
  for (const name of ['cart', 'checkout', 'complete', 'waiting', 'subscribe', 'phone', 'orders'] as const) app.get(`/${name}`, page(name));

  app.get('/lang/:code', (c) => {
    const code = c.req.param('code');
    if (isLang(code)) setCookie(c, LANG_COOKIE, code, { path: '/', secure: c.get('https'), sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    return c.redirect(sameSiteTarget(c.req.query('back'), new URL(c.req.url).origin), 303);
  });

  // Violations of the pages' policy, as browsers report them: logged, so an origin a payment window
  // needs and the policy lacks shows in the shop's log. Small, and a few lines a minute per client at most.
  const reportLogs = new TokenBuckets({ burst: 10, perMinute: 10 });
  app.post(CSP_REPORT_PATH, bodyLimit({ maxSize: 8 * 1024, onError: (c) => c.body(null, 413) }), async (c) => {
    const report = ((await c.req.json().catch(() => undefined)) as { 'csp-report'?: Record<string, unknown> } | undefined)?.['csp-report'];
    if (!report || typeof report !== 'object') return c.body(null, 400);
    if (reportLogs.take(addressKey(c.get('clientAddress')))) return c.body(null, 204);
    const text = (key: string) => (typeof report[key] === 'string' ? (report[key] as string) : '');
    // The page's path only: its query may hold an order's id.
    const path = (uri: string) => (URL.canParse(uri) ? new URL(uri).pathname : uri).slice(0, 200);
    const blocked = text('blocked-uri');
    log(`[csp] blocked ${JSON.stringify(text('effective-directive') || text('violated-directive'))} ${JSON.stringify(URL.canParse(blocked) ? new URL(blocked).origin : blocked.slice(0, 100))} on ${JSON.stringify(path(text('document-uri')))}`);
    return c.body(null, 204);
  });

  app.get('/images/products/:file', (c) => {
    const product = productById(c.req.param('file').replace(/\.svg$/, ''));
    return product ? svg(productSvg(product.art)) : c.notFound();
  });
  app.get('/images/plans/:file', (c) => {
    const plan = PLANS.find((p) => `${p.id}.svg` === c.req.param('file'));
    return plan ? svg(productSvg(plan.art)) : c.notFound();
  });
  app.get('/logo-inicis.svg', () => svg(INICIS_LOGO_SVG));
  app.get('/portone-checkout.js', () => fileResponse(bundlePath(), 'no-cache'));
  app.get('/portone-checkout.js.map', () => fileResponse(`${bundlePath()}.map`, 'no-cache'));
  app.get('/assets/*', (c) => staticFile(DIST, new URL(c.req.url).pathname.slice(1), 'public, max-age=31536000, immutable'));
  for (const file of ['shop.css', 'favicon.svg']) app.get(`/${file}`, () => staticFile(DIST, file, 'no-cache'));

  // The shopper's own orders and subscriptions: nothing still awaiting payment (a cart being edited,
  // a window left open, a period not yet due).
  app.get('/api/me/orders', async (c) => {
    const memberId = memberIdOf(c.req.raw, db);
    if (memberId === undefined) return c.json({ orders: [], subscriptions: [] } satisfies MyOrders, 200, { 'cache-control': 'no-store' });
    const orders = await kit.listOrders({ customerId: memberId, statuses: MY_ORDER_STATUSES, limit: 100 });
    const subscriptions = await kit.listSubscriptions({ customerId: memberId });
    const answer: MyOrders = { orders: orders.map((order) => shopperOrder(order, db)), subscriptions };
    return c.json(answer, 200, { 'cache-control': 'no-store' });
  });
  app.get('/api/me/orders/:paymentId', async (c) => {
    const order = await kit.getOrder(c.req.param('paymentId'));
    const memberId = memberIdOf(c.req.raw, db);
    if (!order || memberId === undefined || order.customer?.customerId !== memberId) return c.json({ code: 'NOT_FOUND', message: 'no order of yours has this paymentId' }, 404);
    const subscription = order.subscriptionId ? (await kit.listSubscriptions({ customerId: memberId })).find((s) => s.id === order.subscriptionId) : undefined;
    const answer: MyOrder = { order: shopperOrder(order, db), ...(subscription ? { subscription } : {}) };
    return c.json(answer, 200, { 'cache-control': 'no-store' });
  });

  // The verification kit: everything under /portone is its contract with the elements. Who pays is
  // the member of the session cookie (the kit asks the shop's identifyCustomer), not what the page sends.
  app.all('/portone/*', (c) => kit.fetch(c.req.raw));

  app.route('/admin', adminRoutes({ kit, db, pages, pageContext, password: options.adminPassword, log, schedules, maintenance, ...(sandbox ? { sandbox } : {}) }));

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    log(`error on ${c.req.method} ${new URL(c.req.url).pathname}: ${error.stack ?? error}`);
    return c.json({ code: 'INTERNAL_ERROR', message: 'the shop could not handle this request; see its log' }, 500);
  });

  return app;
}

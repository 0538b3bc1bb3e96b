// The verification kit as the shop configures it: prices from the shop's catalog (the browser only
// names products and quantities), who pays (the signed-in member, never the page's claim), the two
// billing plans, hooks that fulfil each paid order once, the small batch: sold through a
// manual-approval channel, so `reserve` takes it from stock before any money moves, and the
// adult-only liqueur: sold only to members a 본인인증 showed to be 19 or over.
import { randomBytes } from 'node:crypto';
import type { CheckoutCustomer } from 'portone-checkout-kit';
import { CheckoutError, badCart, createCheckoutServer, refuse, type BillingPlan, type Cart, type CheckoutServer, type PricedLine, type PricedOrder } from 'portone-checkout-kit/server';
import { MAX_QUANTITY, PLANS, SHIPPING_LINE_ID, isAdultOnly, isLimited, productById, shippingFor } from '../shared/catalog.js';
import { isLang, t, type Lang } from '../shared/i18n.js';
import { MEMBER_ID, langOf, memberIdOf } from './members.js';
import type { ShopDb } from './shop-db.js';

/** Alcohol is sold in Korea from 19 (full years). */
export const ADULT_AGE = 19;

/** KG Inicis shows 40 bytes of the order name and cuts the rest. */
const ORDER_NAME_BYTES = 40;
const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** "에티오피아 예가체프 원두 200g 외 2건", shortened from the first name's end to fit 40 bytes. */
export function orderNameFor(names: readonly string[]): string {
  const suffix = names.length > 1 ? ` 외 ${names.length - 1}건` : '';
  let first = names[0] ?? '';
  while (first.length > 1 && utf8Length(`${first}${suffix}`) > ORDER_NAME_BYTES) first = first.slice(0, -1);
  if (first !== (names[0] ?? '')) first = `${first.trimEnd()}…`;
  while (first.length > 2 && utf8Length(`${first}${suffix}`) > ORDER_NAME_BYTES) first = `${first.slice(0, -2)}…`;
  return `${first}${suffix}`;
}

/** The shop's own order number, kept on the kit's order as its `reference`. */
const orderNumber = (now: number): string => {
  const day = new Date(now + 9 * 3_600_000).toISOString().slice(2, 10).replaceAll('-', '');
  return `DLB-${day}-${randomBytes(3).toString('hex').toUpperCase()}`;
};

/** What pricing needs besides the cart: the clock, what is left of the small batches, whether the shopper is a verified adult, and their language. */
export interface PriceOptions {
  now?: number;
  /** Left of each small-batch product; a product missing here is not on sale. */
  stock?: Record<string, number>;
  /** Whether a 본인인증 showed the shopper to be an adult; absent: adult-only products are not on sale (no identity channel). */
  adult?: boolean;
  lang?: Lang;
}

/** A refusal the shopper reads (the element shows `shopperMessage` as it is); the message stays the developer's. */
const refusedCart = (message: string, shopperMessage: string): CheckoutError => new CheckoutError('BAD_CART', message, { shopperMessage });

/**
 * Prices a cart from the catalog, with shipping. Refuses unknown products and odd quantities with a
 * 4xx, an adult-only product for anyone not verified as an adult, and a small batch the stock cannot
 * cover — a courtesy before the window opens: what decides is `reserve`, just before the money moves.
 */
export function priceCart(cart: Cart, { now = Date.now(), stock = {}, adult, lang = 'ko' }: PriceOptions = {}): PricedOrder {
  if (cart.orderId !== undefined) throw badCart('orderId: this shop prices carts (items), not stored orders');
  if (!cart.items || cart.items.length === 0) throw badCart('items: expected at least one product');
  const quantities = new Map<string, number>();
  for (const item of cart.items) {
    const product = productById(item.id);
    if (!product) throw badCart(`items: expected product ids from the catalog, got ${JSON.stringify(item.id)}`);
    const quantity = (quantities.get(item.id) ?? 0) + item.quantity;
    if (quantity > MAX_QUANTITY) throw badCart(`items: expected at most ${MAX_QUANTITY} of ${item.id}, got ${quantity}`);
    quantities.set(item.id, quantity);
  }
  for (const id of quantities.keys()) {
    if (!isAdultOnly(id)) continue;
    if (adult === undefined) throw refusedCart(`items: ${id} is not on sale here (no identity channel to verify the buyer's age with)`, t(lang, 'limited.unavailable'));
    // The page asks for the 본인인증 first; this is what holds for any other caller of prepare too.
    if (!adult) throw refusedCart(`items: ${id} is sold to verified adults only, and this customer has not verified as one`, t(lang, 'adult.required'));
  }
  for (const [id, quantity] of quantities) {
    if (!isLimited(id)) continue;
    const left = stock[id];
    if (left === undefined) throw refusedCart(`items: ${id} is not on sale here (no manual-approval channel to sell it through)`, t(lang, 'limited.unavailable'));
    if (quantity > left) throw refusedCart(`items: ${id} has ${left} left, the cart asks for ${quantity}`, t(lang, 'limited.soldOut'));
  }
  const lines: PricedLine[] = [...quantities].map(([id, quantity]) => {
    const product = productById(id)!;
    return { id, name: product.name.ko, quantity, unitAmount: product.price };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  const shipping = shippingFor(subtotal);
  if (shipping > 0) lines.push({ id: SHIPPING_LINE_ID, name: '배송비', quantity: 1, unitAmount: shipping });
  return {
    orderName: orderNameFor(lines.filter((line) => line.id !== SHIPPING_LINE_ID).map((line) => line.name)),
    totalAmount: subtotal + shipping,
    currency: 'KRW',
    lines,
    reference: orderNumber(now),
  };
}

/** The member of the request's session, with their profile filling in whatever the checkout form leaves out. */
export function memberOf(request: Request, db: ShopDb): CheckoutCustomer | undefined {
  const memberId = memberIdOf(request, db);
  if (memberId === undefined) return undefined;
  const member = db.profile(memberId);
  return { customerId: member.id, fullName: member.name, phoneNumber: member.phone, email: member.email };
}

export const KIT_PLANS: Record<string, BillingPlan> = Object.fromEntries(
  PLANS.map((plan) => [
    plan.id,
    { name: plan.orderName, amount: plan.amount, currency: 'KRW', interval: plan.interval, ...(plan.productType ? { productType: plan.productType } : {}) },
  ]),
);

export interface KitSettings {
  portone: { apiSecret: string; storeId: string; baseUrl?: string };
  webhookSecret: string;
  /**
   * `limited`: a manual-approval channel the small batches are sold through (the kit is told to
   * expect it for any order with one in it); without it they are not on sale. `identity`: the
   * 본인인증 channel (KG Inicis 통합인증) adults verify through; without it the adult-only products are not on sale.
   */
  channelKeys: { payment: string; limited?: string; billingKey: string; billingKeyAndPay: string; identity?: string };
  database: string;
  noticeUrls?: string[];
  /** The kit's `preRegister` (default on). */
  preRegister?: boolean;
  /** The shop's prepare limit (prepare-limit.ts). */
  beforePrepare?: (request: Request) => void;
  /** The kit's `reconcileAfterMs`; absent: its default. */
  reconcileAfterMs?: number;
  /** The kit's `claimLeaseMs`; absent: its default. */
  claimLeaseMs?: number;
  /** The sandbox's clock when on the sandbox, so subscriptions and schedules agree on "now". */
  now?: () => number;
  log: (line: string) => void;
  verbose: boolean;
}

export function createShopCheckout(settings: KitSettings, db: ShopDb): CheckoutServer {
  const { log } = settings;
  const { payment, limited, billingKey, billingKeyAndPay, identity } = settings.channelKeys;
  /** Only what is in stock, and only when there is a channel that asks before it takes money. */
  const stock = (): Record<string, number> => (limited ? db.stock() : {});
  return createCheckoutServer({
    portone: settings.portone,
    webhookSecret: settings.webhookSecret,
    database: settings.database,
    basePath: '/portone',
    channelKeys: {
      // An order with a small batch in it goes through the manual-approval channel, so the kit asks
      // `reserve` before it confirms; the kit refuses its payment through any other channel, so a
      // page that swaps the channel cannot skip the reservation.
      payment: (order) => (limited && order.lines.some((line) => isLimited(line.id)) ? limited : payment),
      billingKey,
      billingKeyAndPay,
    },
    // The sandbox and PortOne's test channels are TEST channels; a live shop leaves this off.
    allowTestChannels: true,
    ...(settings.noticeUrls ? { noticeUrls: settings.noticeUrls } : {}),
    ...(settings.preRegister === false ? { preRegister: false } : {}),
    ...(settings.now ? { now: settings.now } : {}),
    ...(settings.beforePrepare ? { beforePrepare: settings.beforePrepare } : {}),
    ...(settings.reconcileAfterMs !== undefined ? { reconcileAfterMs: settings.reconcileAfterMs } : {}),
    ...(settings.claimLeaseMs !== undefined ? { claimLeaseMs: settings.claimLeaseMs } : {}),
    // 본인인증 for the adult-only products: the kit refuses anyone under 19 (Korea's age in full
    // years) before onIdentityVerified runs, so that hook only ever hears of adults. The kit's
    // shopper message is one text for everyone: Korean, the shop's own language (the checkout page
    // says it in the member's language too).
    ...(identity ? { identityVerification: { channelKey: identity, minimumAge: ADULT_AGE, shopperMessages: { UNDER_AGE: t('ko', 'adult.underAge') } } } : {}),
    plans: KIT_PLANS,
    priceOrder: (cart, { request, customer }) => {
      const lang = langOf(request);
      // Whether the member is a verified adult, from the shop's own record (never the page's word).
      const adult = identity ? customer?.customerId !== undefined && db.isAdult(customer.customerId) : undefined;
      const priced = priceCart(cart, { ...(settings.now ? { now: settings.now() } : {}), stock: stock(), ...(adult !== undefined ? { adult } : {}), lang });
      // `reserve` has no request to read the language from: remember the member's, to refuse in it.
      if (customer?.customerId && priced.lines?.some((line) => isLimited(line.id))) db.setMemberLang(customer.customerId, lang);
      return priced;
    },
    // Who pays is the shop's business, not the browser's.
    identifyCustomer: (request) => memberOf(request, db),
    logger: {
      ...(settings.verbose ? { info: (message: string) => log(`[kit] ${message}`) } : {}),
      warn: (message: string) => log(`[kit] warning: ${message}`),
      error: (message: string, fields?: Record<string, unknown>) => log(`[kit] error: ${message}${fields?.error instanceof Error ? `\n${fields.error.stack}` : ''}`),
    },

    // Hooks run after the kit committed the order's new state, once per event (retried if they throw).
    onPaid({ eventId, order }) {
      db.recordHookRun(eventId, 'paid', order.paymentId);
      // The details a member paid with become their profile, to prefill the next checkout.
      const { customerId, fullName, phoneNumber, email } = order.customer ?? {};
      if (customerId && MEMBER_ID.test(customerId) && fullName && phoneNumber && email) {
        db.saveProfile({ id: customerId, name: fullName, phone: phoneNumber, email });
      }
      // Phone billing buys the online class: access, not a parcel.
      const created = db.fulfil(eventId, order, order.kind === 'billing-key-and-pay' || order.plan === 'class-monthly' ? 'ACCESS_GRANTED' : 'TO_SHIP');
      if (created) log(`fulfilled ${order.paymentId} (${order.orderName}, ${order.totalAmount} ${order.currency})`);
    },
    onVirtualAccountIssued({ eventId, order }) {
      db.recordHookRun(eventId, 'virtual-account-issued', order.paymentId);
      log(`virtual account issued for ${order.paymentId}: ${order.virtualAccount?.bank ?? ''} ${order.virtualAccount?.accountNumber ?? ''}`);
    },
    onFailed({ eventId, order }) {
      db.recordHookRun(eventId, 'failed', order.paymentId);
    },
    onCancelled({ eventId, order, cancellation }) {
      db.recordHookRun(eventId, 'cancelled', order.paymentId);
      db.recordRefund(order.paymentId, order.cancelledAmount);
      log(`refunded ${cancellation.amount} of ${order.paymentId} (${cancellation.reason})`);
    },
    // Just before the money moves on the manual-approval channel: the small batch is taken from
    // stock in one transaction (idempotent by reservationId), or refused in the shopper's words.
    reserve({ reservationId, order }) {
      const lines = (order?.lines ?? []).filter((line) => isLimited(line.id)).map(({ id, quantity }) => ({ id, quantity }));
      // Nothing scarce in it: nothing to hold (the kit refuses such an order's payment on this channel anyway).
      if (lines.length === 0) return;
      const hold = db.reserveStock(reservationId, lines);
      if (hold.held) {
        log(`reserved ${lines.map((line) => `${line.quantity} × ${line.id}`).join(', ')} for ${order!.paymentId}`);
        return;
      }
      log(`refused ${order!.paymentId}: ${hold.productId} has ${hold.available} left`);
      const memberLang = order?.customer?.customerId ? db.memberLang(order.customer.customerId) : undefined;
      throw refuse(t(isLang(memberLang) ? memberLang : 'ko', 'limited.soldOutRefused'));
    },
    // The order will not be paid (refused, failed, expired, flagged): its stock goes back. An id the
    // shop holds nothing for (refused above, or nothing scarce) gives nothing back.
    release({ reservationId, order, reason }) {
      if (db.releaseStock(reservationId)) log(`released the stock held for ${order?.paymentId ?? reservationId} (${reason})`);
    },
    // A member passed the kit's checks, age included: the shop records that they are an adult, and
    // nothing about who they are (the person stays unread and unlogged here).
    onIdentityVerified({ eventId, identityVerificationId, customer, verifiedAt }) {
      db.recordHookRun(eventId, 'identity-verified', undefined);
      const memberId = customer?.customerId;
      if (memberId === undefined || !MEMBER_ID.test(memberId)) return;
      db.recordAdult(memberId, identityVerificationId, Date.parse(verifiedAt) || Date.now());
      if (settings.verbose) log(`member verified as an adult (${identityVerificationId})`);
    },
    onBillingKeyIssued({ eventId, billingKey }) {
      db.recordHookRun(eventId, 'billing-key-issued', undefined);
      if (settings.verbose) log(`billing key stored for customer ${billingKey.customerId}`);
    },
  });
}

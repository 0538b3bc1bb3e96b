// Prepare: the cart is priced by the shop's own priceOrder (never by the browser), becomes an order
// with an unguessable paymentId, and its amount is registered with PortOne before any window opens.
// An order's price never changes afterwards. Shared by the payment and billing-key-and-pay flows.
import type { CheckoutCustomer, PreparedPayment } from '../contract.js';
import type { KitContext } from './context.js';
import { admit, identify, ownerOf, pricedCustomer, type Shopper } from './customers.js';
import { CheckoutError } from './errors.js';
import { newId } from './ids.js';
import type { NewOrder, Order, OrderKind } from './model.js';
import type { Cart, PriceContext } from './options.js';
import { checkPricedOrder } from './resolve-options.js';
import { rejected } from './portone.js';
import { paymentChannelKey } from './reads.js';
import * as validate from './validate.js';

/** Asks the shop's priceOrder for the price; its 4xx CheckoutErrors pass through, anything else is the shop's bug. */
export async function priceCart(ctx: KitContext, cart: Cart, context: PriceContext): Promise<Priced> {
  let priced: unknown;
  try {
    priced = await ctx.options.priceOrder(cart, context);
  } catch (error) {
    if (error instanceof CheckoutError) throw error;
    ctx.log.error('priceOrder threw; answer it with badCart(message) to refuse a cart', { error: error instanceof Error ? error : String(error) });
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not price this cart (priceOrder failed); see the server log');
  }
  try {
    return checkPricedOrder(priced);
  } catch (error) {
    ctx.log.error((error as Error).message);
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop priced this cart in a way the kit cannot charge; see the server log');
  }
}

/** Registers the amount with PortOne so a tampered amount fails at the PG, not only at complete. */
async function preRegister(ctx: KitContext, order: Pick<Order, 'paymentId' | 'totalAmount' | 'currency' | 'taxFreeAmount'>): Promise<void> {
  if (!ctx.options.preRegister) return;
  try {
    await ctx.portone.preRegister({
      paymentId: order.paymentId,
      totalAmount: order.totalAmount,
      currency: order.currency,
      ...(order.taxFreeAmount ? { taxFreeAmount: order.taxFreeAmount } : {}),
    });
  } catch (error) {
    throw rejected(error);
  }
}

export async function preparePayment(ctx: KitContext, request: Request, body: Record<string, unknown>): Promise<PreparedPayment> {
  await admit(ctx, request, 'payment');
  const input = validate.prepareRequest(body);
  const shopper = await identify(ctx, request, input.customer);
  const priced = await priceCart(ctx, cartOf('payment', input, shopper, request), priceContext(request, shopper));
  const order = await placeOrder(ctx, {
    kind: 'payment',
    priced,
    customer: pricedCustomer(priced.customer, shopper),
    payMethod: input.payMethod,
    reference: priced.reference ?? input.orderId,
    previousPaymentId: input.previousPaymentId,
  });
  return prepared(ctx, order, paymentChannelKey(ctx, order));
}

export type Priced = ReturnType<typeof checkPricedOrder>;

export const priceContext = (request: Request, shopper: Shopper): PriceContext => ({ request, ...(shopper.identified ? { customer: shopper.identified } : {}) });

/** What `priceOrder` gets: the browser's cart with the customer as the kit decided it. */
export function cartOf(
  flow: Cart['flow'],
  input: { items?: Cart['items']; orderId?: string | undefined; payMethod?: string | undefined; plan?: string | undefined },
  shopper: Shopper,
  request: Request,
): Cart {
  return {
    flow,
    ...(input.items ? { items: input.items } : {}),
    ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
    ...(shopper.customer ? { customer: shopper.customer } : {}),
    ...(input.payMethod ? { payMethod: input.payMethod } : {}),
    ...(input.plan !== undefined ? { plan: input.plan } : {}),
    request,
  };
}

/** A priced prepare, before it becomes an order. */
export interface Draft {
  kind: 'payment' | 'billing-key-and-pay';
  priced: Priced;
  /** As the shop or the browser named the customer; the kit adds an id for a billing key when nobody named one. */
  customer: CheckoutCustomer | undefined;
  payMethod: string | undefined;
  reference: string | undefined;
  plan?: string | undefined;
  previousPaymentId: string | undefined;
}

/**
 * The order for a prepare. An order's price never changes once made: PortOne may hold a payment for
 * its id as soon as the browser has it, so a changed cart always gets a new order (the one before is
 * left as it is, for a window that may still be paying it, and pruned when abandoned). Only a
 * re-prepare priced exactly as the element's previous order — same flow, plan, customer, lines,
 * amounts and details, still PENDING and never seen started — answers that order again, unchanged.
 */
export async function placeOrder(ctx: KitContext, draft: Draft): Promise<Order | NewOrder> {
  const assignId = draft.kind === 'billing-key-and-pay' && draft.customer?.customerId === undefined;
  const order = newOrder(ctx, draft.kind, draft.priced, {
    // The billing key is tied to a customer id; the kit assigns one when nobody named one.
    customer: assignId ? { ...draft.customer, customerId: newId('cus') } : draft.customer,
    customerIdAssigned: assignId ? true : undefined,
    payMethod: draft.payMethod,
    reference: draft.reference,
    plan: draft.plan,
    subscriptionId: draft.plan !== undefined ? newId('sub') : undefined,
  });
  if (draft.previousPaymentId !== undefined) {
    const previous = await ctx.store.getOrder(draft.previousPaymentId);
    if (previous && samePrepare(previous, order, draft)) return previous;
  }
  await preRegister(ctx, order);
  await ctx.store.createOrder(order);
  return order;
}

/** Whether `previous` is what this prepare would create, for the same customer, and still untouched. */
function samePrepare(previous: Order, next: NewOrder, draft: Draft): boolean {
  if (previous.kind !== next.kind || previous.status !== 'PENDING' || previous.startedAt !== undefined || previous.plan !== next.plan) return false;
  if (ownerOf({ customerId: previous.customer?.customerId, customerIdAssigned: previous.customerIdAssigned }) !== draft.customer?.customerId) return false;
  // A kit-assigned customer id is the previous order's own; everything else must be the same.
  const customerOf = (order: Order | NewOrder) => (order.customerIdAssigned ? { ...order.customer, customerId: undefined } : order.customer);
  return priceKey(previous, customerOf(previous)) === priceKey(next, customerOf(next));
}

/** Everything a prepare decides about an order, as one comparable string. */
const priceKey = (order: Order | NewOrder, customer: Order['customer']): string =>
  JSON.stringify([
    order.orderName,
    order.totalAmount,
    order.currency,
    order.taxFreeAmount,
    order.vatAmount,
    order.lines.map((l) => [l.id, l.name, l.quantity, l.unitAmount, l.amount]),
    customer && Object.entries(customer).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)),
    order.reference,
    order.payMethod,
  ]);

function newOrder(
  ctx: KitContext,
  kind: OrderKind,
  priced: Priced,
  extra: {
    customer?: Order['customer'] | undefined;
    customerIdAssigned?: true | undefined;
    payMethod?: string | undefined;
    reference?: string | undefined;
    plan?: string | undefined;
    subscriptionId?: string | undefined;
  },
): NewOrder {
  const order: NewOrder = {
    paymentId: newId('pay'),
    orderId: newId('ord'),
    kind,
    orderName: priced.orderName,
    totalAmount: priced.totalAmount,
    currency: priced.currency,
    lines: priced.lines ?? [],
    createdAt: ctx.options.now(),
  };
  if (priced.taxFreeAmount !== undefined) order.taxFreeAmount = priced.taxFreeAmount;
  if (priced.vatAmount !== undefined) order.vatAmount = priced.vatAmount;
  for (const key of ['customer', 'customerIdAssigned', 'payMethod', 'reference', 'plan', 'subscriptionId'] as const) {
    if (extra[key] !== undefined) (order as unknown as Record<string, unknown>)[key] = extra[key];
  }
  return order;
}

export function prepared(ctx: KitContext, order: Order | NewOrder, channelKey: string | undefined): PreparedPayment {
  const answer: PreparedPayment = {
    paymentId: order.paymentId,
    orderName: order.orderName,
    totalAmount: order.totalAmount,
    currency: order.currency,
    storeId: ctx.options.portone.storeId,
    customData: { orderId: order.orderId },
  };
  if (order.taxFreeAmount !== undefined) answer.taxFreeAmount = order.taxFreeAmount;
  if (order.vatAmount !== undefined) answer.vatAmount = order.vatAmount;
  if (order.customer) answer.customer = { ...order.customer };
  if (channelKey) answer.channelKey = channelKey;
  if (ctx.options.noticeUrls.length > 0) answer.noticeUrls = [...ctx.options.noticeUrls];
  // The confirm process is a requestPayment option only.
  if (ctx.options.confirmUrl !== undefined && order.kind === 'payment') answer.confirmUrl = ctx.options.confirmUrl;
  return answer;
}

// Who a prepare is for. The shop's `beforePrepare` may turn a client away first; its
// `identifyCustomer` (its session) decides the customer id, never the browser; and an earlier order
// or issue may only be updated by a prepare for the same customer.
import type { CheckoutCustomer, CheckoutFlow } from '../contract.js';
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import { checkCustomer } from './validate.js';

/** The shop's `beforePrepare` (a rate limit, a bot check): its 4xx refuses the prepare, anything else it throws is the shop's bug. */
export async function admit(ctx: KitContext, request: Request, flow: CheckoutFlow): Promise<void> {
  const hook = ctx.options.beforePrepare;
  if (!hook) return;
  try {
    await hook(request, { flow });
  } catch (error) {
    if (error instanceof CheckoutError && error.status < 500) throw error;
    ctx.log.error('beforePrepare threw; throw a 4xx CheckoutError to refuse a prepare', { error: error instanceof Error ? error : String(error) });
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not admit this prepare (beforePrepare failed); see the server log');
  }
}

export interface Shopper {
  /** What `identifyCustomer` answered, checked; absent without the option, or for a guest. */
  identified?: CheckoutCustomer;
  /** The browser's details with the identified ones on top: what an order or issue records. */
  customer?: CheckoutCustomer;
}

/**
 * Asks the shop who is checking out. With `identifyCustomer`, its `customerId` replaces the
 * browser's (a guest gets none) and its other fields fill those the browser left out; without it,
 * the browser's customer is taken as sent.
 */
export async function identify(ctx: KitContext, request: Request, sent: CheckoutCustomer | undefined): Promise<Shopper> {
  const hook = ctx.options.identifyCustomer;
  if (!hook) return sent ? { customer: sent } : {};
  let answer: unknown;
  try {
    answer = await hook(request);
  } catch (error) {
    if (error instanceof CheckoutError) throw error;
    ctx.log.error('identifyCustomer threw; throw a 4xx CheckoutError to refuse a prepare', { error: error instanceof Error ? error : String(error) });
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not tell who is checking out (identifyCustomer failed); see the server log');
  }
  let identified: CheckoutCustomer | undefined;
  try {
    identified = checkCustomer(answer, 'identifyCustomer()');
  } catch (error) {
    ctx.log.error(`identifyCustomer returned an unusable customer: ${(error as Error).message}`);
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not tell who is checking out (identifyCustomer returned an unusable customer); see the server log');
  }
  const customer: CheckoutCustomer = { ...identified };
  for (const [field, value] of Object.entries(sent ?? {}) as [keyof CheckoutCustomer, string][]) {
    if (field !== 'customerId') customer[field] = value;
  }
  if (identified?.customerId !== undefined) customer.customerId = identified.customerId;
  else delete customer.customerId;
  return {
    ...(identified ? { identified } : {}),
    ...(Object.keys(customer).length > 0 ? { customer } : {}),
  };
}

/**
 * The customer a priced order is for: what `priceOrder` returned if it named one (the identified
 * id filling in a missing one), else the shopper's.
 */
export function pricedCustomer(priced: CheckoutCustomer | undefined, shopper: Shopper): CheckoutCustomer | undefined {
  if (!priced) return shopper.customer;
  const id = priced.customerId ?? shopper.identified?.customerId;
  return id === undefined ? { ...priced } : { ...priced, customerId: id };
}

/** Whom a stored order or issue was prepared for: the id someone named, none when the kit made it up. */
export function ownerOf(record: { customerId?: string | undefined; customerIdAssigned?: true | undefined }): string | undefined {
  return record.customerIdAssigned ? undefined : record.customerId;
}

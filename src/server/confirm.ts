// PortOne's confirm process (`confirmUrl`): before it approves a payment PortOne POSTs a signed
// `Transaction.Confirm` here; a 200 lets the payment go on, anything else stops it and PortOne hands
// the answer's `errorMessage` to the SDK result. The kit answers 200 only for a payment of one of its
// own orders, for exactly the order's amount, once the shop's `reserve` accepted it.
import type { KitContext } from './context.js';
import { CheckoutError, show } from './errors.js';
import { readText } from './http.js';
import type { Order } from './model.js';
import { changeOrder } from './orders.js';
import type { Outbox } from './outbox.js';
import { releasing, reserve } from './reservations.js';
import { verifyWebhook } from './webhooks.js';

/** PortOne waits 10 s for the answer; the shop's `reserve` gets most of it. */
const RESERVE_BUDGET_MS = 8_000;

/** What the shopper reads when the shop stops a payment for a reason that is not theirs to know. */
const STOPPED_FOR_SHOPPER = '상점에서 주문을 확인하지 못해 결제를 진행하지 않았습니다. 잠시 후 다시 시도해 주세요.';

/** Statuses a payment may still be approved for: nothing was taken yet. */
const UNCHARGED: readonly string[] = ['PENDING', 'FAILED'];

/** `{basePath}/confirm`: 200 `{}` approves; any error stops the payment, with `errorMessage` for the shopper. */
export async function handleConfirm(ctx: KitContext, outbox: Outbox, request: Request): Promise<Response> {
  try {
    await confirm(ctx, outbox, request);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
  } catch (thrown) {
    const error = thrown instanceof CheckoutError ? thrown : new CheckoutError('INTERNAL_ERROR', 'an unexpected error occurred in the checkout server; details are in its log');
    if (!(thrown instanceof CheckoutError)) ctx.log.error('unexpected error in the confirm process', { error: thrown instanceof Error ? thrown : String(thrown) });
    else if (error.code !== 'RESERVATION_REFUSED') ctx.log.warn(`confirm process: stopped a payment (${error.code}): ${error.message}`);
    const body = { ...error.toJSON(), message: ctx.redact(error.message), errorMessage: error.shopperMessage ?? STOPPED_FOR_SHOPPER };
    return new Response(JSON.stringify(body), { status: error.status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
  }
}

async function confirm(ctx: KitContext, outbox: Outbox, request: Request): Promise<void> {
  // Signed like webhooks, over the exact bytes.
  const body = await readText(request, ctx.options.bodyLimitBytes);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const message = (await verifyWebhook(ctx.options.webhookSecrets, body, headers)) as { type?: unknown; data?: unknown };
  if (message.type !== 'Transaction.Confirm') throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', `type: expected "Transaction.Confirm" at the confirm route, got ${show(message.type)}`);
  const data = (message.data && typeof message.data === 'object' ? message.data : {}) as Record<string, unknown>;
  const { paymentId, storeId, totalAmount } = data;
  if (typeof paymentId !== 'string' || paymentId === '') throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', `data.paymentId: expected the payment to confirm, got ${show(paymentId)}`);
  if (typeof totalAmount !== 'number' || !Number.isSafeInteger(totalAmount)) throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', `data.totalAmount: expected the amount PortOne is about to approve, got ${show(totalAmount)}`);
  if (storeId !== ctx.options.portone.storeId) throw new CheckoutError('PAYMENT_MISMATCH', `data.storeId: expected this shop's store, got ${show(storeId)}`);

  let order = await ctx.store.getOrder(paymentId);
  if (!order) throw new CheckoutError('ORDER_NOT_FOUND', `paymentId: expected one of this shop's orders, got ${show(paymentId)}`);
  // The confirm process is a requestPayment option; the kit's own charges and issue-and-pay have none.
  if (order.kind !== 'payment') throw new CheckoutError('PAYMENT_MISMATCH', `payment ${paymentId}: expected an order prepared at payments/prepare, got a ${order.kind} order`);
  if (!UNCHARGED.includes(order.status)) throw new CheckoutError('PAYMENT_MISMATCH', `payment ${paymentId}: expected an unpaid order, got one ${order.status}`);
  // Stopped here, before any money moves: the amount must be the order's own.
  if (totalAmount !== order.totalAmount) {
    throw new CheckoutError('PAYMENT_MISMATCH', `payment ${paymentId}: totalAmount expected ${order.totalAmount} (the order's), got ${totalAmount}`);
  }

  // Recorded before the shop is asked: if the payment then does not happen (refused here, failed at
  // the PG, timed out) its failure releases the reservation.
  if (order.reservedAt === undefined) {
    const recorded = await changeOrder(ctx, paymentId, (current: Order) =>
      UNCHARGED.includes(current.status) && current.reservedAt === undefined ? { to: current.status, patch: { reservedAt: ctx.options.now() } } : undefined,
    );
    order = recorded.order;
    if (!UNCHARGED.includes(order.status)) throw new CheckoutError('PAYMENT_MISMATCH', `payment ${paymentId}: expected an unpaid order, got one ${order.status}`);
  }
  try {
    await reserve(ctx, { order }, 'confirm-process', Math.min(RESERVE_BUDGET_MS, ctx.options.hookTimeoutMs || RESERVE_BUDGET_MS));
  } catch (error) {
    // Not reserved: the reservation is released now, not when PortOne's failure is synced. A recorded
    // reservation must mean `reserve` accepted, since a payment the page then sends through another
    // window, without confirmUrl, is accepted on it (see paymentFlow).
    const reservedAt = order.reservedAt;
    const reason = error instanceof CheckoutError && error.code === 'RESERVATION_REFUSED' ? 'reserve refused it in the confirm process' : 'reserve did not accept it in the confirm process';
    const ended = await changeOrder(ctx, paymentId, (current: Order) => {
      if (!UNCHARGED.includes(current.status) || current.reservedAt !== reservedAt) return undefined;
      const released = releasing(current, reason);
      return { to: current.status, patch: released.patch, events: released.events };
    }).catch((failure: unknown) => {
      ctx.log.error(`confirm process: could not record that ${paymentId} was not reserved; its failure at PortOne releases it`, { error: failure instanceof Error ? failure : String(failure) });
      return undefined;
    });
    // The release runs after PortOne has its answer (or from the poll or cron, if this one is cut short).
    if (ended?.changed) void outbox.run(ended.events).catch(() => {});
    throw error;
  }
}

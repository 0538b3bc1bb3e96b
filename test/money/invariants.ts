// The money invariants the interleaving checker asserts for every paymentId once a batch settled
// (`checkInvariants`), against the shop's hooks and PortOne's own records.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { Payment } from '@portone/server-sdk/payment';
import type { Order } from '../../src/server/index.js';
import type { Fulfilment, Priced, RefundRecord } from './checker.js';

/** Everything the shop and PortOne say about one paymentId, once the batch settled. */
export interface Observed {
  paymentId: string;
  /** Every answer a prepare gave for this paymentId (one, unless the kit repriced it). */
  priced: Priced[];
  /** A window for it was tampered with, or a deposit into it was short. */
  wronged: boolean;
  order: Order | undefined;
  payment: Payment | undefined;
  fulfilled: Fulfilment[];
  refunded: RefundRecord[];
}

const amountsOf = (payment: Payment | undefined) => (payment && 'amount' in payment ? payment.amount : undefined);

/**
 * The money invariants, for one paymentId once everything settled (webhooks delivered, reconcile()
 * run):
 * - onPaid ran at most once, and only for an order PortOne holds as paid (amount.paid > 0) for
 *   exactly the order's total — the lines fulfilled are the lines that prepare priced at that total;
 * - nothing is fulfilled for an order left unpaid, failed or flagged;
 * - an order the kit holds as PAID is paid at PortOne, for its total, with nothing refunded;
 * - every refund PortOne holds is recorded on a paid order (cancelledAmount, onCancelled once per
 *   cancellation);
 * - an order is FLAGGED only when something was wrong with its payment (a tampered window, a short
 *   deposit), never for a payment that matched its prepare; its money is back with the shopper;
 * - a shopper who paid is left with a fulfilment or a full refund.
 */
export function checkInvariants(o: Observed): void {
  const amount = amountsOf(o.payment);
  const paid = amount?.paid ?? 0;
  const cancelled = amount?.cancelled ?? 0;
  const status = o.order?.status;
  const fact = () =>
    `order ${JSON.stringify(o.order && { status, totalAmount: o.order.totalAmount, cancelledAmount: o.order.cancelledAmount, flag: o.order.flag?.code, refundedAt: o.order.flag?.refundedAt })}, ` +
    `PortOne ${JSON.stringify(o.payment && { status: o.payment.status, amount })}, onPaid ${JSON.stringify(o.fulfilled)}, onCancelled ${JSON.stringify(o.refunded)}`;
  assert.ok(o.order, `${o.paymentId}: the order exists (${fact()})`);
  assert.ok(o.fulfilled.length <= 1, `${o.paymentId}: onPaid ran ${o.fulfilled.length} times (${fact()})`);
  const [fulfilment] = o.fulfilled;
  if (fulfilment) {
    assert.ok(paid > 0, `${o.paymentId}: fulfilled although PortOne holds nothing paid (${fact()})`);
    assert.equal(fulfilment.totalAmount, paid, `${o.paymentId}: fulfilled at ${fulfilment.totalAmount} while PortOne holds ${paid} paid (${fact()})`);
    const atThatTotal = o.priced.filter((p) => p.prepared.totalAmount === fulfilment.totalAmount);
    assert.ok(atThatTotal.length > 0, `${o.paymentId}: fulfilled at a total no prepare priced (${fact()})`);
    assert.ok(atThatTotal.some((p) => isDeepStrictEqual(p.lines, fulfilment.lines)), `${o.paymentId}: the lines fulfilled are not the lines priced at that total (${fact()})`);
    assert.ok(status === 'PAID' || status === 'PARTIAL_CANCELLED' || status === 'CANCELLED', `${o.paymentId}: fulfilled, but the order ended ${status} (${fact()})`);
  } else {
    assert.ok(status !== 'PAID' && status !== 'PARTIAL_CANCELLED', `${o.paymentId}: ${status} but never fulfilled (${fact()})`);
  }
  if (status === 'PAID') {
    assert.equal(o.payment?.status, 'PAID', `${o.paymentId}: PAID at the kit only (${fact()})`);
    assert.equal(paid, o.order!.totalAmount, `${o.paymentId}: PAID at the kit for ${o.order!.totalAmount}, at PortOne for ${paid} (${fact()})`);
  }
  if (status === 'PAID' || status === 'PARTIAL_CANCELLED' || status === 'CANCELLED') {
    assert.equal(o.order!.cancelledAmount, cancelled, `${o.paymentId}: PortOne holds ${cancelled} refunded, the order ${o.order!.cancelledAmount} (${fact()})`);
    if (fulfilment) {
      const recorded = o.refunded.reduce((sum, r) => sum + r.amount, 0);
      assert.equal(recorded, cancelled, `${o.paymentId}: onCancelled saw ${recorded} refunded, PortOne holds ${cancelled} (${fact()})`);
      assert.equal(new Set(o.refunded.map((r) => r.cancellationId)).size, o.refunded.length, `${o.paymentId}: onCancelled ran twice for one cancellation (${fact()})`);
    }
  }
  if (status === 'FLAGGED') {
    // Refused only for a reason: a window tampered with, a short deposit — never a payment that matched its prepare.
    assert.ok(o.wronged, `${o.paymentId}: FLAGGED and refunded, although every window for it showed what its prepare priced and every deposit was whole (${fact()})`);
    assert.equal(cancelled, paid, `${o.paymentId}: FLAGGED, but PortOne still holds ${paid - cancelled} of the shopper's money (${fact()})`);
    assert.ok(o.order!.flag?.refundedAt !== undefined || paid === 0, `${o.paymentId}: FLAGGED and refunded at PortOne, but not recorded as settled (${fact()})`);
  }
  // Paid and neither fulfilled nor given back: the one outcome a shopper must never be left with.
  if (paid > 0 && !fulfilment) assert.equal(cancelled, paid, `${o.paymentId}: the shopper paid ${paid} and has neither a fulfilment nor a full refund (${fact()})`);
}

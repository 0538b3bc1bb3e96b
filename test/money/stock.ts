// The shop's stock for the interleaving checker's gated scenarios (manual approval, PortOne's confirm
// process): a few limited products per batch (1–3 units each, so shoppers really compete), a
// `reserve` that takes stock atomically and idempotently per reservationId and refuses when none is
// left, a `release` that gives it back (idempotently), and `onPaid` turning a hold into a sale. Every
// call is logged on one clock with what the sandbox charged (the gate watch), so the checker can ask
// afterwards what the shop held at the moment PortOne took the money.
//
// The stock invariants (`checkStock`) are checked after every batch against the sandbox's records and
// this log; see its comment.
import assert from 'node:assert/strict';
import type { Payment } from '@portone/server-sdk/payment';
import type { Sandbox, SandboxRestExchange } from '../../src/sandbox/index.js';
import { badCart, refuse, type Order, type PricedOrder, type ReleaseEvent, type ReserveEvent } from '../../src/server/index.js';
import type { Cart } from '../../src/server/options.js';
import { CATALOG } from '../server/support.js';
import { random } from './random.js';

/** A limited product: `ltd-<batch>-<n>`, restocked per batch. */
export const LIMITED = /^ltd-(\d+)-(\d+)$/;
export const isLimited = (id: string): boolean => LIMITED.test(id);
export const limitedPrice = (id: string): number => 12_000 + Number(LIMITED.exec(id)![2]) * 7_000;

/** The checker's catalog: the kit tests' products, and any batch's limited ones. */
export function stockPriceOrder(cart: Cart): PricedOrder {
  const items = cart.items;
  if (!items) throw badCart('items: expected a cart (the checker never prices by orderId)');
  const lines = items.map((item) => {
    if (isLimited(item.id)) return { id: item.id, name: `한정판 드리퍼 ${item.id}`, quantity: item.quantity, unitAmount: limitedPrice(item.id) };
    const product = Object.hasOwn(CATALOG, item.id) ? CATALOG[item.id] : undefined;
    if (!product) throw badCart(`items: expected product ids from the catalog, got ${JSON.stringify(item.id)}`);
    return { id: item.id, name: product.name, quantity: item.quantity, unitAmount: product.price };
  });
  const total = lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  return {
    orderName: lines.length > 1 ? `${lines[0]!.name} 외 ${lines.length - 1}건` : lines[0]!.name,
    totalAmount: total,
    currency: 'KRW',
    lines,
    ...(cart.customer ? { customer: cart.customer } : {}),
  };
}

export interface StockLine {
  id: string;
  quantity: number;
}

/** Limited lines of an order (merged per product). */
export function limitedLines(lines: readonly { id: string; quantity: number }[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) if (isLimited(line.id)) merged.set(line.id, (merged.get(line.id) ?? 0) + line.quantity);
  return [...merged].map(([id, quantity]) => ({ id, quantity }));
}

export const SOLD_OUT = '품절되었습니다. 다른 상품을 골라 주세요.';

/** One line of the shop's stock log. `at` is on the shop's clock (`StockPort.now`). */
export type StockRecord =
  | { at: number; kind: 'take' | 'again' | 'refuse' | 'throw'; reservationId: string; episode: number | undefined; via: string }
  | { at: number; kind: 'free' | 'noop' | 'release-sold' | 'throw-release'; reservationId: string; eventId: string }
  | { at: number; kind: 'sell' | 'sell-again' | 'sell-unreserved'; reservationId: string };

export interface Hold {
  state: 'held' | 'sold';
  lines: StockLine[];
}

/** The shop's stock as it stands, and how it got there. */
export interface StockView {
  initial: Record<string, number>;
  free: Record<string, number>;
  holds: Record<string, Hold>;
  log: StockRecord[];
}

/** What the checker needs of a shop's stock (in memory, or a fleet's tables). */
export interface StockPort {
  /** Adds products with these counts (new ids only). */
  restock(counts: Record<string, number>): Promise<void>;
  view(): Promise<StockView>;
  /** The clock the shop's log is on, for the gate watch's records. */
  now(): number;
}

export const reservationOf = (paymentId: string): string => `reserve:${paymentId}`;

/**
 * The shop's stock in memory, for one kit in this process: what a shop following the README writes
 * (reserve holds per reservationId, release frees whatever that id holds). Its hooks take a little
 * time (an inventory service) and sometimes fail, seeded.
 */
export function memoryStock(seed: number) {
  const rand = random(seed ^ 0x5bd1e995);
  let tick = 0;
  const now = () => ++tick;
  const initial: Record<string, number> = {};
  const free: Record<string, number> = {};
  const holds = new Map<string, Hold>();
  const log: StockRecord[] = [];
  const pause = (maxMs: number) => (rand() < 0.5 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, Math.floor(rand() * maxMs))));

  return {
    port: {
      async restock(counts) {
        for (const [id, count] of Object.entries(counts)) {
          if (id in initial) throw new Error(`restock: ${id} is stocked already`);
          initial[id] = count;
          free[id] = count;
        }
      },
      async view() {
        return { initial: { ...initial }, free: { ...free }, holds: Object.fromEntries([...holds].map(([id, hold]) => [id, { ...hold, lines: [...hold.lines] }])), log: [...log] };
      },
      now,
    } satisfies StockPort,

    async reserve(event: ReserveEvent): Promise<void> {
      const target = event.order;
      const episode = target?.reservedAt;
      await pause(15);
      const record = (kind: 'take' | 'again' | 'refuse' | 'throw') => log.push({ at: now(), kind, reservationId: event.reservationId, episode, via: event.via });
      // The inventory service is down now and then: the shop's bug as far as the kit knows (a 500, confirmed nothing).
      if (rand() < 0.03) {
        record('throw');
        throw new Error('inventory service timed out');
      }
      // From here on nothing awaits: the check and the take are one step, as a transaction would make them.
      if (holds.has(event.reservationId)) return void record('again');
      const lines = limitedLines(target?.lines ?? []);
      if (lines.some((line) => (free[line.id] ?? 0) < line.quantity)) {
        record('refuse');
        throw refuse(SOLD_OUT);
      }
      for (const line of lines) free[line.id] = free[line.id]! - line.quantity;
      holds.set(event.reservationId, { state: 'held', lines });
      record('take');
    },

    async release(event: ReleaseEvent): Promise<void> {
      await pause(30);
      const record = (kind: 'free' | 'noop' | 'release-sold' | 'throw-release') => log.push({ at: now(), kind, reservationId: event.reservationId, eventId: event.eventId });
      if (rand() < 0.05) {
        record('throw-release');
        throw new Error('inventory service timed out');
      }
      const hold = holds.get(event.reservationId);
      if (!hold) return void record('noop');
      // Shipped already: a shop gives nothing back for a sale (the checker reports the release).
      if (hold.state === 'sold') return void record('release-sold');
      for (const line of hold.lines) free[line.id] = free[line.id]! + line.quantity;
      holds.delete(event.reservationId);
      record('free');
    },

    /** onPaid: the hold becomes a sale (a paid order with limited lines and no hold ships from stock anyway, and is logged). */
    sell(order: Order): void {
      const lines = limitedLines(order.lines);
      if (lines.length === 0) return;
      const reservationId = reservationOf(order.paymentId);
      const hold = holds.get(reservationId);
      if (hold?.state === 'sold') return void log.push({ at: now(), kind: 'sell-again', reservationId });
      if (hold) {
        hold.state = 'sold';
        return void log.push({ at: now(), kind: 'sell', reservationId });
      }
      for (const line of lines) free[line.id] = (free[line.id] ?? 0) - line.quantity;
      holds.set(reservationId, { state: 'sold', lines });
      log.push({ at: now(), kind: 'sell-unreserved', reservationId });
    },
  };
}

/** A moment PortOne took (or was cleared to take) money behind a gate. */
export interface GateCharge {
  paymentId: string;
  /** The confirm process names the attempt it approves: only a charge of that attempt follows. */
  transactionId?: string;
  at: number;
  via: 'confirm' | 'confirm-issue-and-pay' | 'confirm-process';
}

/**
 * Watches the sandbox for the moments money moves behind a gate: a manual approval's confirmation
 * answered 200 (the charge happened in that request), and a confirm process's `Transaction.Confirm`
 * answered 200 (the charge follows in the same tick). Pass `onRestExchange` to createSandbox, then
 * `attach` once the shop's clock is known.
 */
export function gateWatch() {
  let clock: () => number = () => Number.NaN;
  const charges: GateCharge[] = [];
  return {
    charges,
    onRestExchange(exchange: SandboxRestExchange): void {
      if (exchange.status !== 200) return;
      if (exchange.route === 'POST /payments/:id/confirm') {
        const paymentId = decodeURIComponent(exchange.url.split('?')[0]!.split('/')[2]!);
        charges.push({ paymentId, at: clock(), via: 'confirm' });
      } else if (exchange.route === 'POST /billing-keys/confirm-issue-and-pay') {
        const { paymentId } = JSON.parse(exchange.requestBody ?? '{}') as { paymentId: string };
        charges.push({ paymentId, at: clock(), via: 'confirm-issue-and-pay' });
      }
    },
    attach(sandbox: Sandbox, now: () => number): () => void {
      clock = now;
      return sandbox.tail((delivery) => {
        if (delivery.type !== 'Transaction.Confirm' || delivery.status !== 200) return;
        const { data } = JSON.parse(delivery.body) as { data: { paymentId: string; transactionId: string } };
        charges.push({ paymentId: data.paymentId, transactionId: data.transactionId, at: clock(), via: 'confirm-process' });
      });
    },
  };
}
export type GateWatch = ReturnType<typeof gateWatch>;

/** One gated order of the batch, once settled. */
export interface StockObserved {
  paymentId: string;
  /** The lines its prepare priced (for the units PortOne charged for). */
  lines: StockLine[];
  order: Order | undefined;
  payment: Payment | undefined;
  /** onPaid ran for it. */
  fulfilled: boolean;
}

const amountsOf = (payment: Payment | undefined) => (payment && 'amount' in payment ? payment.amount : undefined);

/** What a reservation held at `at`, replaying the shop's log. */
function stateAt(log: readonly StockRecord[], reservationId: string, at: number): 'held' | 'sold' | 'none' {
  let state: 'held' | 'sold' | 'none' = 'none';
  for (const record of log) {
    if (record.at >= at) break;
    if (record.reservationId !== reservationId) continue;
    if (record.kind === 'take') state = 'held';
    else if (record.kind === 'free') state = 'none';
    else if (record.kind === 'sell' || record.kind === 'sell-unreserved') state = 'sold';
  }
  return state;
}

/**
 * The stock invariants, for one batch's limited products and gated orders, once everything settled:
 * - the shop's books balance: per product, held + sold + free = initial stock, and free never below 0;
 * - never more units sold than stocked: per product, the units of gated payments PortOne holds paid
 *   and kept (fulfilled, or not fully refunded) are at most the initial stock — and equal to what the
 *   shop's onPaid sold;
 * - a payment PortOne charged was reserved first: a gate saw the charge (the kit's confirmation, the
 *   confirm process's approval of that very attempt) and at that moment the shop held the order's
 *   reservation;
 * - behind a gate no money moves for an amount other than the order's (a page-changed amount);
 * - every reservation the kit asked for ends either with its order paid and fulfilled (the hold
 *   sold, not refunded as a mismatch) or released exactly once, never both: per reservation, one
 *   release per episode the kit asked `reserve` in, less the one that ended paid (or waits for a
 *   deposit); a release never reaches a sold hold; onPaid never finds its stock unreserved;
 * - nothing stays held for an order that is not waiting for a deposit, and no manual approval is
 *   left recorded on a settled order.
 */
export function checkStock(o: { skus: readonly string[]; view: StockView; charges: readonly GateCharge[]; observed: readonly StockObserved[] }): void {
  const { view } = o;
  const holds = Object.entries(view.holds);
  for (const ob of o.observed) {
    const reservationId = reservationOf(ob.paymentId);
    const records = view.log.filter((r) => r.reservationId === reservationId);
    const amount = amountsOf(ob.payment);
    const status = ob.order?.status;
    const hold = view.holds[reservationId];
    const fact = () =>
      `order ${JSON.stringify(ob.order && { status, totalAmount: ob.order.totalAmount, reservedAt: ob.order.reservedAt, approval: ob.order.approval?.attempt, failure: ob.order.failure?.code, flag: ob.order.flag?.code })}, ` +
      `PortOne ${JSON.stringify(ob.payment && { status: ob.payment.status, transactionId: 'transactionId' in ob.payment ? ob.payment.transactionId : undefined, amount })}, ` +
      `fulfilled ${ob.fulfilled}, hold ${JSON.stringify(hold)}, shop log ${JSON.stringify(records)}, gate ${JSON.stringify(o.charges.filter((c) => c.paymentId === ob.paymentId))}`;

    if (amount && amount.paid > 0) {
      const transactionId = ob.payment && 'transactionId' in ob.payment ? ob.payment.transactionId : undefined;
      const gates = o.charges.filter((c) => c.paymentId === ob.paymentId && (c.transactionId === undefined || c.transactionId === transactionId));
      assert.ok(gates.length > 0, `${ob.paymentId}: PortOne charged it, but no gate (the kit's confirmation, an approved confirm process) let it through (${fact()})`);
      assert.ok(
        gates.some((gate) => stateAt(view.log, reservationId, gate.at) === 'held'),
        `${ob.paymentId}: PortOne charged it while the shop held no reservation for it (${fact()})`,
      );
      assert.equal(amount.total, ob.order?.totalAmount, `${ob.paymentId}: behind a gate PortOne charged ${amount.total}, the order is for ${ob.order?.totalAmount} (${fact()})`);
    }

    for (const bad of ['release-sold', 'sell-unreserved', 'sell-again'] as const) {
      assert.ok(!records.some((r) => r.kind === bad), `${ob.paymentId}: ${bad === 'release-sold' ? 'released after it was sold' : bad === 'sell-unreserved' ? 'paid and fulfilled while the shop held no reservation' : 'sold twice'} (${fact()})`);
    }
    const episodes = new Set(records.flatMap((r) => (r.kind === 'take' || r.kind === 'again' || r.kind === 'refuse' || r.kind === 'throw' ? [r.episode] : [])));
    const releases = new Set(records.flatMap((r) => (r.kind === 'free' || r.kind === 'noop' || r.kind === 'release-sold' ? [r.eventId] : [])));
    const paid = ob.fulfilled && status !== 'FLAGGED';
    const waiting = status === 'VIRTUAL_ACCOUNT_ISSUED';
    // Once settled no manual approval is left under way: each token was confirmed, refused or ended.
    assert.equal(ob.order?.approval, undefined, `${ob.paymentId}: a manual approval is still recorded on the settled order (${fact()})`);
    if (paid) assert.equal(hold?.state, 'sold', `${ob.paymentId}: paid and fulfilled, but the shop's hold is not a sale (${fact()})`);
    else if (waiting && episodes.size > 0) assert.equal(hold?.state, 'held', `${ob.paymentId}: waiting for a deposit, but its stock is not held (${fact()})`);
    else assert.equal(hold, undefined, `${ob.paymentId}: ended ${status} unpaid, but the shop still holds its stock (${fact()})`);
    const kept = episodes.size > 0 && (paid || waiting) ? 1 : 0;
    assert.equal(releases.size, episodes.size - kept, `${ob.paymentId}: the kit asked reserve in ${episodes.size} episode(s) and released ${releases.size} time(s); expected ${episodes.size - kept} (${fact()})`);
  }

  // Per product, once every order passed (an order that broke one is named with its scenario above).
  for (const sku of o.skus) {
    const initial = view.initial[sku]!;
    let held = 0;
    let sold = 0;
    for (const [, hold] of holds) for (const line of hold.lines) if (line.id === sku) hold.state === 'held' ? (held += line.quantity) : (sold += line.quantity);
    const free = view.free[sku]!;
    assert.ok(free >= 0, `${sku}: the shop's free stock went below zero (${free} of ${initial}; held ${held}, sold ${sold})`);
    assert.equal(held + sold + free, initial, `${sku}: held ${held} + sold ${sold} + free ${free} ≠ initial ${initial}`);
    const charged = o.observed.filter((ob) => {
      const amount = amountsOf(ob.payment);
      return amount !== undefined && amount.paid > 0 && (ob.fulfilled || amount.cancelled < amount.paid);
    });
    const units = charged.reduce((sum, ob) => sum + (ob.lines.find((line) => line.id === sku)?.quantity ?? 0), 0);
    assert.ok(units <= initial, `${sku}: PortOne holds ${units} units paid of a stock of ${initial} (${charged.map((ob) => ob.paymentId).join(', ')})`);
    const fulfilledUnits = o.observed.filter((ob) => ob.fulfilled).reduce((sum, ob) => sum + (ob.lines.find((line) => line.id === sku)?.quantity ?? 0), 0);
    assert.equal(sold, fulfilledUnits, `${sku}: the shop sold ${sold} units, onPaid ran for orders of ${fulfilledUnits}`);
  }
}

/** The end of a run: no stock held for an order that is not waiting for a deposit (`waiting` answers which are). */
export function checkNothingHeld(view: StockView, waiting: (reservationId: string) => boolean): void {
  const held = Object.entries(view.holds).filter(([id, hold]) => hold.state === 'held' && !waiting(id));
  assert.deepEqual(held.map(([id]) => id), [], `stock left held for unpaid orders: ${JSON.stringify(held)}`);
}

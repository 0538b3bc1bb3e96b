// The interleaving checker: many seeded random shopper scenarios run at once against a shop (one kit
// or a fleet of them) and the sandbox as PortOne — prepares, re-prepares with a changed cart naming
// the previous order, payment windows approved, declined, cancelled or tampered with, completes
// (several at once), the redirect return, virtual-account deposits (short ones too), full and
// partial refunds by the shop and in PortOne's console, reconcile() — while the sandbox adds latency
// to every PortOne call and duplicates, delays and reorders webhooks. After every batch the money
// invariants are checked against PortOne's own records (see `checkInvariants`).
//
// With `gates`, about a third of the scenarios buy limited products (a few units per batch) behind
// a gate instead — manual approval (수동 승인) and PortOne's confirm process — while the shop's
// reserve and release hooks keep its stock (gated.ts, stock.ts); the stock invariants are checked
// after every batch too, and at the end nothing may be left reserved for an unpaid order.
//
// Seeded: a seed fixes every scenario's steps and delays, the batches' fault settings and the
// sandbox's dice. The event loop and the network still interleave the concurrent steps as they
// happen, which is the point; a failure prints the seed and the scenario, and re-running that seed
// replays the same steps (the same interleaving is likely, not certain).
import type { PreparedPayment } from '../../src/contract.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Order, OrderLine } from '../../src/server/index.js';
import { checkGatedBatch, checkGatedEnd, gatedScenario, type GatedKind } from './gated.js';
import { checkInvariants } from './invariants.js';
import { random } from './random.js';
import type { GateWatch, StockPort } from './stock.js';

export { random };
export { checkInvariants, type Observed } from './invariants.js';

/** What onPaid was given, as the shop's fulfilment records it. */
export interface Fulfilment {
  paymentId: string;
  totalAmount: number;
  lines: Pick<OrderLine, 'id' | 'quantity' | 'unitAmount'>[];
}

/** What onCancelled was given. */
export interface RefundRecord {
  paymentId: string;
  cancellationId: string;
  amount: number;
}

/** The shop under test: one kit, or several instances on one database. */
export interface ShopUnderTest {
  /** A request to the kit's routes (an instance chosen per request, as a load balancer would). */
  fetch(request: Request): Promise<Response>;
  /** A fleet's: the same request sent to every instance at once (a complete reaching them all). */
  fetchAll?(request: () => Request): Promise<(Response | undefined)[]>;
  cancel(paymentId: string, options: { amount?: number; reason: string; refundAccount?: typeof REFUND_ACCOUNT }): Promise<unknown>;
  reconcile(options: { olderThanMs: number; limit: number }): Promise<{ manualRefunds: { paymentId: string }[] }>;
  runDueEvents(): Promise<unknown>;
  getOrder(paymentId: string): Promise<Order | undefined>;
  /** Every onPaid call so far (one entry per call: a second call for an order shows). */
  fulfilments(): Promise<Fulfilment[]>;
  /** Every onCancelled call so far. */
  refunds(): Promise<RefundRecord[]>;
  /** The shop's stock (its reserve and release hooks), for gated scenarios. */
  stock?: StockPort;
  /** Where PortOne reaches the kit's confirm route (`{base}/confirm`), for confirm-process windows. */
  confirmUrl?(): string;
  /** How many of the kit's events are pending or running: settling runs due events until none are. */
  pendingEvents?(): Promise<number>;
}

/** Gated scenarios: limited stock bought behind manual approval or PortOne's confirm process. */
export interface GateOptions {
  /** The sandbox's manual-approval channels. */
  channels: { payment: string; billingKeyAndPay: string };
  /** What the sandbox charged behind a gate, and when (`gateWatch`, attached to the shop's stock clock). */
  watch: GateWatch;
  /** The kit pre-registers amounts: a page-changed amount then never opens a window. */
  preRegistered: boolean;
  /** Share of the scenarios that are gated; default 0.3. */
  share?: number;
  /**
   * At the end of the run, move the sandbox clock past every virtual account's expiry and settle
   * again, so that nothing at all may stay held (a kit whose clock is the sandbox's only).
   */
  expireAtEnd?: boolean;
}

export interface CheckerOptions {
  seed: number;
  /** Scenarios in all. */
  count: number;
  /** Scenarios running at once. */
  concurrency: number;
  sandbox: Sandbox;
  shop: ShopUnderTest;
  /** PortOne latencies the batches draw from, ms. */
  latenciesMs?: readonly number[];
  /** Called after each batch with how many scenarios ran so far. */
  progress?: (done: number) => void;
  /**
   * How long settling waits before the last round of due events and reconcile(): a fleet whose
   * instance died waits out that instance's claims (its `claimLeaseMs`) so another takes them over.
   */
  settleMs?: number;
  /** Mix gated scenarios in (needs `shop.stock` and `shop.confirmUrl`). */
  gates?: GateOptions;
}

export interface CheckerReport {
  scenarios: number;
  payments: number;
  /** Every paymentId the scenarios prepared. */
  paymentIds: string[];
  /** How often each step ran, and the outcomes the orders ended in: evidence of what was exercised. */
  steps: Record<string, number>;
  statuses: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CATALOG: Record<string, number> = { beans: 32_000, dripper: 18_000, sticker: 1_500 };
const BUYER = { fullName: '김하나', phoneNumber: '010-1234-5678', email: 'hana@example.com' };
/** The shopper's bank account, which a deposit into a virtual account can only be refunded to. */
export const REFUND_ACCOUNT = { bank: 'SHINHAN', number: '110123456789', holderName: '김하나' };

/** One prepare's answer and the cart it priced: what an order for that paymentId may be fulfilled as (a kit that reprices has several). */
export interface Priced {
  prepared: PreparedPayment;
  lines: Fulfilment['lines'];
  virtual: boolean;
}

/** A scenario's shared state: the orders its prepares made, what happened, for the failure report. */
export interface Scenario {
  index: number;
  seed: number;
  priced: Map<string, Priced[]>;
  /** Ids something wrong was done to: a tampered window, a short deposit. Only these may be refused. */
  wronged: Set<string>;
  /** Ids prepared for a gated scenario (limited stock behind manual approval or the confirm process). */
  gated: Map<string, GatedKind>;
  log: string[];
}

/** What a scenario's actors share: its dice, its log, the shop's routes. */
export interface ScenarioTools {
  s: Scenario;
  sandbox: Sandbox;
  shop: ShopUnderTest;
  rand: () => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
  /** A seeded pause of up to 40 ms. */
  later: () => Promise<unknown>;
  step: (name: string, detail?: string) => void;
  post: (path: string, body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  /** Records what a prepare priced for a paymentId. */
  priced: (paymentId: string, answer: Priced) => void;
}

/** Runs the scenarios in batches and checks the invariants after each; throws with the seed on the first violation. */
export async function runInterleavings(options: CheckerOptions): Promise<CheckerReport> {
  const { sandbox, shop } = options;
  const rand = random(options.seed);
  const latencies = options.latenciesMs ?? [0, 2, 10, 30];
  const steps: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const count = (name: string) => (steps[name] = (steps[name] ?? 0) + 1);
  let payments = 0;
  const paymentIds: string[] = [];
  const gatedIds: string[] = [];
  const gates = options.gates;
  if (gates && (!shop.stock || !shop.confirmUrl)) throw new Error('runInterleavings: gates need a shop with stock and a confirm route');
  const detach = gates?.watch.attach(sandbox, shop.stock!.now);
  for (let start = 0; start < options.count; start += options.concurrency) {
    const size = Math.min(options.concurrency, options.count - start);
    const latencyMs = latencies[Math.floor(rand() * latencies.length)]!;
    const webhooks = { duplicateRate: rand() < 0.5 ? 0.3 : 0, reorder: rand() < 0.5, reorderWindowMs: 50, delayMs: Math.floor(rand() * 20) };
    const routes: Record<string, { latencyMs?: number; failureRate?: number; resetRate?: number }> = latencyMs > 0 ? { '*': { latencyMs } } : {};
    // Gates: this batch's limited products, and now and then PortOne failing the kit's confirmations
    // (the complete answers "in progress" and the shopper goes away: only retries and reconcile() finish them).
    const batch = start / options.concurrency;
    const skus = gates ? Array.from({ length: 4 }, (_, i) => `ltd-${batch}-${i}`) : [];
    let gateFaults = false;
    if (gates) {
      await shop.stock!.restock(Object.fromEntries(skus.map((sku) => [sku, 1 + Math.floor(rand() * 3)])));
      if ((gateFaults = rand() < 0.3)) {
        routes['POST /payments/:id/confirm'] = { failureRate: 0.4, resetRate: 0.1 };
        routes['POST /billing-keys/confirm-issue-and-pay'] = { failureRate: 0.4, resetRate: 0.1 };
      }
    }
    sandbox.setFaults({ seed: Math.floor(rand() * 2 ** 31), routes, webhooks });
    const scenarios: Scenario[] = Array.from({ length: size }, (_, i) => ({ index: start + i, seed: Math.floor(rand() * 2 ** 31), priced: new Map(), wronged: new Set(), gated: new Map(), log: [] }));
    const where = (s: Scenario) =>
      `seed ${options.seed}, scenario ${s.index} (its seed ${s.seed}; PortOne latency ${latencyMs} ms, webhooks ${JSON.stringify(webhooks)}${gates ? `, confirmations failing ${gateFaults}, stock ${JSON.stringify(skus)}` : ''})`;
    await Promise.all(
      scenarios.map((s) =>
        runScenario(s, sandbox, shop, count, gates ? { ...gates, skus } : undefined).catch((error: unknown) => {
          throw new Error(`interleaving checker: a step threw at ${where(s)}:\n  ${s.log.join('\n  ')}\n${error instanceof Error ? error.stack : String(error)}`);
        }),
      ),
    );
    // Settle: PortOne answers at once, every webhook is delivered, reconcile() runs as the shop's timer would.
    await settle(options);
    const fulfilments = await shop.fulfilments();
    const refunds = await shop.refunds();
    for (const s of scenarios) {
      for (const [paymentId, priced] of s.priced) {
        payments++;
        paymentIds.push(paymentId);
        const order = await shop.getOrder(paymentId);
        statuses[order?.status ?? 'none'] = (statuses[order?.status ?? 'none'] ?? 0) + 1;
        try {
          checkInvariants({
            paymentId,
            priced,
            wronged: s.wronged.has(paymentId),
            order,
            payment: sandbox.payment(paymentId),
            fulfilled: fulfilments.filter((f) => f.paymentId === paymentId),
            refunded: refunds.filter((r) => r.paymentId === paymentId),
          });
        } catch (error) {
          throw new Error(`interleaving checker: a money invariant broke at ${where(s)}:\n  ${s.log.join('\n  ')}\n${(error as Error).message}`);
        }
      }
    }
    if (gates) {
      const batchIds = await checkGatedBatch({ sandbox, shop, watch: gates.watch, skus, scenarios, fulfilments, where, count, steps, seed: options.seed, batch });
      gatedIds.push(...batchIds);
    }
    options.progress?.(start + size);
  }
  if (gates) await checkGatedEnd({ sandbox, shop, expireAtEnd: gates.expireAtEnd ?? false, gatedIds, seed: options.seed, settle: () => settle(options) });
  detach?.();
  return { scenarios: options.count, payments, paymentIds, steps, statuses };
}

/**
 * Settles a batch: PortOne answers at once, every webhook is delivered, reconcile() runs as the
 * shop's timer would, and the kit's due events run until none is left (a confirmation PortOne
 * failed, a release the shop's inventory service failed: retried after their backoff).
 */
async function settle(options: CheckerOptions): Promise<void> {
  const { sandbox, shop } = options;
  sandbox.setFaults({});
  await sandbox.flushWebhooks();
  for (let round = 0; round < 2; round++) {
    if (round === 1 && options.settleMs) await sleep(options.settleMs);
    const report = await shop.reconcile({ olderThanMs: 0, limit: 10_000 });
    // A flagged deposit PortOne refunds only to the shopper's bank account: a person does it, as reconcile() asks.
    for (const { paymentId } of report.manualRefunds) await shop.cancel(paymentId, { reason: '입금 환불', refundAccount: REFUND_ACCOUNT });
    await shop.runDueEvents();
    await sandbox.flushWebhooks();
    for (let i = 0; i < 100 && shop.pendingEvents && (await shop.pendingEvents()) > 0; i++) {
      await sleep(20);
      await shop.runDueEvents();
      await sandbox.flushWebhooks();
    }
  }
}

/** One shopper's scenario: a prepare, then concurrent actors with seeded delays. */
async function runScenario(s: Scenario, sandbox: Sandbox, shop: ShopUnderTest, count: (step: string) => void, gates?: GateOptions & { skus: readonly string[] }): Promise<void> {
  const rand = random(s.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;
  const later = () => sleep(Math.floor(rand() * 40));
  const step = (name: string, detail = '') => {
    count(name);
    s.log.push(`${name}${detail ? ` ${detail}` : ''}`);
  };
  const post = async (path: string, body: unknown) => {
    const response = await shop.fetch(new Request(`http://shop.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const text = await response.text();
    // A 5xx the kit may answer under load (ORDER_BUSY, PortOne unavailable, a manual approval still
    // being confirmed) is a retry for the browser; anything else is a failure of the kit.
    if (response.status >= 500 && !/ORDER_BUSY|PORTONE_UNAVAILABLE|APPROVAL_IN_PROGRESS/.test(text)) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  };
  const cart = () => {
    const items = Object.keys(CATALOG).filter(() => chance(0.5)).map((id) => ({ id, quantity: 1 + Math.floor(rand() * 20) }));
    return items.length > 0 ? items : [{ id: 'beans', quantity: 1 + Math.floor(rand() * 20) }];
  };
  const prepare = async (previous?: string) => {
    const items = cart();
    const virtual = chance(0.25);
    const body = { items, customer: BUYER, payMethod: virtual ? 'VIRTUAL_ACCOUNT' : 'CARD', ...(previous ? { previousPaymentId: previous } : {}) };
    // PortOne unavailable for the pre-registration: the element prepares again on the next click.
    let answer = await post('/payments/prepare', body);
    for (let retry = 0; retry < 2 && answer.status >= 500; retry++) answer = await post('/payments/prepare', body);
    // Still unavailable (a machine too loaded to answer in time): no order was made, nothing to check.
    if (answer.status >= 500) {
      step('prepare-unavailable', String(answer.body.code));
      return undefined;
    }
    if (answer.status !== 200) throw new Error(`prepare answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const prepared = answer.body as unknown as PreparedPayment;
    step(previous ? 're-prepare' : 'prepare', `${prepared.paymentId} ${prepared.totalAmount}${virtual ? ' (virtual account)' : ''}`);
    const prices = s.priced.get(prepared.paymentId) ?? [];
    prices.push({ prepared, virtual, lines: items.map(({ id, quantity }) => ({ id, quantity, unitAmount: CATALOG[id]! })) });
    s.priced.set(prepared.paymentId, prices);
    return prepared.paymentId;
  };

  const ids = () => [...s.priced.keys()];
  /** Waits (a little) until `ready` holds, as a person acting on a paid order or an issued account would. */
  const when = async (ready: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 20 && !(await ready()); i++) await sleep(15);
  };
  /** The window for one prepared order, ended as a shopper (or an attacker) would. */
  const window = async () => {
    await later();
    const paymentId = pick(ids());
    // The answer this tab holds for that id: the latest one (an older tab may hold an older one).
    const answers = s.priced.get(paymentId)!;
    const { prepared, virtual } = chance(0.8) ? answers.at(-1)! : pick(answers);
    const action = pick(['approve', 'approve', 'approve', 'decline', 'cancel', 'tamper'] as const);
    const request: Record<string, unknown> = {
      storeId: prepared.storeId,
      channelKey: prepared.channelKey ?? sandbox.channelKeys.payment,
      paymentId,
      orderName: prepared.orderName,
      totalAmount: prepared.totalAmount,
      currency: prepared.currency,
      payMethod: virtual ? 'VIRTUAL_ACCOUNT' : 'CARD',
      customer: { ...BUYER, ...prepared.customer },
      customData: prepared.customData,
      ...(virtual ? { virtualAccount: { accountExpiry: { validHours: 24 } } } : {}),
    };
    // An attacker's window: the amount is pinned by the pre-registration, the name is not.
    if (action === 'tamper') {
      request.orderName = `${prepared.orderName} (변조)`;
      s.wronged.add(paymentId);
    }
    const opened = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transactionType: 'PAYMENT', request, client: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' } }),
    });
    const openedBody = (await opened.json()) as { txId?: string; code?: string };
    step('window', `${paymentId} ${action} → open ${opened.status}${openedBody.code ? ` ${openedBody.code}` : ''}`);
    if (!openedBody.txId) return;
    // A shopper clicks through in a moment, or lingers.
    if (chance(0.3)) await later();
    const result = action === 'tamper' ? 'approve' : action;
    const done = await fetch(`${sandbox.url}/checkout/transactions/${encodeURIComponent(openedBody.txId)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: { result } }),
    });
    await done.arrayBuffer();
    step(`window-${result}`, `${paymentId} → ${done.status}`);
    // The redirect return (mobile): the element finishes the attempt from PortOne's query.
    if (chance(0.4)) {
      const answer = await post('/payments/complete', { paymentId });
      step('redirect-return', `${paymentId} → ${answer.status}`);
    }
  };
  let actors: Promise<void>[];
  const kind = gates && chance(gates.share ?? 0.3) ? pick(['manual', 'manual', 'confirm', 'confirm', 'manual-key-and-pay'] as const) : 'plain';
  if (kind !== 'plain') {
    // Limited stock behind a gate: its own prepare and windows (gated.ts), then the same actors as any order.
    const tools: ScenarioTools = {
      s, sandbox, shop, rand, pick, chance, later, step, post,
      priced: (paymentId, answer) => void s.priced.set(paymentId, [...(s.priced.get(paymentId) ?? []), answer]),
    };
    const gated = await gatedScenario(tools, kind, gates!);
    if (!gated) return;
    actors = gated;
  } else {
    const first = await prepare();
    if (first === undefined) return;
    actors = [window()];
    if (chance(0.3)) actors.push(window());
    if (chance(0.5)) {
      // The shopper edits the cart while (or after) a window is open: the element re-prepares naming its order.
      actors.push(later().then(async () => void (await prepare(first))));
    }
  }
  // Completes, at random moments or several at once (a browser retrying, an attacker).
  const burst = chance(0.3) ? Math.floor(rand() * 40) : undefined;
  for (let i = 0, n = Math.floor(rand() * 5); i < n; i++) {
    actors.push(
      (burst !== undefined ? sleep(burst) : later()).then(async () => {
        const paymentId = pick(ids());
        if (shop.fetchAll && chance(0.5)) {
          // The same complete reaching every instance of the fleet at once.
          const answers = await shop.fetchAll(() => new Request('http://shop.test/payments/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId }) }));
          for (const answer of answers) if (answer && answer.status >= 500 && !/ORDER_BUSY|PORTONE_UNAVAILABLE/.test(await answer.clone().text())) throw new Error(`complete on an instance answered ${answer.status}: ${await answer.text()}`);
          step('complete-everywhere', `${paymentId} → ${answers.map((a) => a?.status ?? 'down').join(',')}`);
          return;
        }
        const answer = await post('/payments/complete', { paymentId });
        step('complete', `${paymentId} → ${answer.status} ${String(answer.body.code ?? (answer.body.order as { status?: string } | undefined)?.status)}`);
      }),
    );
  }
  if (chance(0.3)) {
    actors.push(
      sleep(20 + Math.floor(rand() * 60)).then(async () => {
        const paymentId = pick(ids());
        // The shop's admin refunds an order it sees paid (or, sometimes, one it does not: refused).
        if (chance(0.8)) await when(async () => ['PAID', 'PARTIAL_CANCELLED'].includes((await shop.getOrder(paymentId))?.status ?? ''));
        const full = chance(0.5);
        const amount = full ? undefined : 1 + Math.floor(rand() * 1_000);
        try {
          const deposited = s.priced.get(paymentId)!.some((p) => p.virtual);
          await shop.cancel(paymentId, { reason: '고객 요청', ...(amount !== undefined ? { amount } : {}), ...(deposited ? { refundAccount: REFUND_ACCOUNT } : {}) });
          step('shop-refund', `${paymentId} ${amount ?? 'full'}`);
        } catch (error) {
          step('shop-refund-refused', `${paymentId} ${(error as Error).message.slice(0, 80)}`);
        }
      }),
    );
  }
  if (chance(0.1)) {
    actors.push(
      sleep(30 + Math.floor(rand() * 60)).then(async () => {
        // A refund made in PortOne's console: the kit learns of it from the webhook or reconcile().
        const paymentId = pick(ids());
        await when(() => sandbox.payment(paymentId)?.status === 'PAID');
        const answer = await fetch(`${sandbox.url}/payments/${encodeURIComponent(paymentId)}/cancel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `PortOne ${sandbox.apiSecret}` },
          body: JSON.stringify({ reason: '콘솔 환불', ...(chance(0.5) ? { amount: 500 } : {}), ...(s.priced.get(paymentId)!.some((p) => p.virtual) ? { refundAccount: REFUND_ACCOUNT } : {}) }),
        });
        await answer.arrayBuffer();
        step('console-refund', `${paymentId} → ${answer.status}`);
      }),
    );
  }
  if (chance(0.4)) {
    actors.push(
      sleep(20 + Math.floor(rand() * 60)).then(async () => {
        // The shopper deposits into a virtual account — the right amount, or short.
        const paymentId = pick(ids());
        await when(() => sandbox.payment(paymentId)?.status === 'VIRTUAL_ACCOUNT_ISSUED');
        const payment = sandbox.payment(paymentId);
        if (payment?.status !== 'VIRTUAL_ACCOUNT_ISSUED') return;
        const short = chance(0.3);
        if (short) s.wronged.add(paymentId);
        try {
          await sandbox.deposit(paymentId, short ? payment.amount.total - 1_000 : undefined, short ? { partial: true } : undefined);
          step('deposit', `${paymentId}${short ? ' short' : ''}`);
        } catch (error) {
          step('deposit-refused', `${paymentId} ${(error as Error).message.slice(0, 80)}`);
        }
      }),
    );
  }
  if (chance(0.15)) actors.push(later().then(async () => void (await shop.reconcile({ olderThanMs: 0, limit: 20 }), step('reconcile'))));
  await Promise.all(actors);
}

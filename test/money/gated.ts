// The checker's gated scenarios: a shopper buying a batch's limited products (a few units, many
// shoppers) behind a gate, with the shop's reserve and release keeping its stock (stock.ts):
// - `manual`: a manual-approval (수동 승인) channel — the window answers with a paymentToken and
//   nothing is charged until the kit confirms; the token is sent once, twice at once, by the redirect
//   and the promise, late, or never; a second window for the same order; a page-changed amount;
//   PortOne failing the confirmations for a whole batch, so only retries and reconcile() finish them;
// - `manual-key-and-pay`: billing-key-and-pay on a manual-approval phone channel (billingIssueToken);
// - `confirm`: PortOne's confirm process — the window carries the kit's confirmUrl and the sandbox
//   asks the kit before it approves; accepted, refused by stock, a page-changed amount, a second
//   window while the first one's confirmation is under way.
// After the windows, the orders meet the same actors as any (completes, refunds, deposits, reconcile);
// once a batch settled its stock invariants are checked (`checkGatedBatch`), and at the end of the
// run nothing may stay held (`checkGatedEnd`).
import type { PreparedPayment } from '../../src/contract.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Fulfilment, GateOptions, Scenario, ScenarioTools, ShopUnderTest } from './checker.js';
import { checkNothingHeld, checkStock, limitedLines, limitedPrice, reservationOf, type GateWatch, type StockObserved } from './stock.js';

export type GatedKind = 'manual' | 'confirm' | 'manual-key-and-pay';

/**
 * Which kinds get a second window for the same order. Not issue-and-pay: the sandbox's
 * `POST /billing-keys/confirm-issue-and-pay` takes the token of a window a newer one replaced and
 * charges the newer attempt with it (it does not check the token against the pending attempt, as
 * `POST /payments/{id}/confirm` does), so the kit rightly flags and refunds a payment nothing was
 * wrong with. Turn it on once the sandbox refuses a stale token.
 */
const SECOND_WINDOW: Record<GatedKind, boolean> = { manual: true, confirm: true, 'manual-key-and-pay': false };

const BUYER = { fullName: '김하나', phoneNumber: '010-1234-5678', email: 'hana@example.com' };
const BROWSER = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' };
const CATALOG: Record<string, number> = { beans: 32_000 };

/** Prepares a gated order and answers its actors (its windows); undefined when no order was made. */
export async function gatedScenario(t: ScenarioTools, kind: GatedKind, gates: GateOptions & { skus: readonly string[] }): Promise<Promise<void>[] | undefined> {
  const { s, sandbox, shop, pick, chance, later, step, post } = t;
  const keyAndPay = kind === 'manual-key-and-pay';
  const virtual = !keyAndPay && chance(0.15);
  // One or two of the batch's limited products, mostly one unit each, sometimes with a bag of beans.
  const skus = [...new Set([pick(gates.skus), ...(chance(0.3) ? [pick(gates.skus)] : [])])];
  const items = [...skus.map((id) => ({ id, quantity: chance(0.75) ? 1 : 2 })), ...(chance(0.3) ? [{ id: 'beans', quantity: 1 }] : [])];
  const customer = keyAndPay ? { ...BUYER, customerId: `member-${s.seed}` } : BUYER;
  const route = keyAndPay ? '/billing-key-and-pay/prepare' : '/payments/prepare';
  const body = { items, customer, ...(keyAndPay ? {} : { payMethod: virtual ? 'VIRTUAL_ACCOUNT' : 'CARD' }) };
  let answer = await post(route, body);
  for (let retry = 0; retry < 2 && answer.status >= 500; retry++) answer = await post(route, body);
  if (answer.status >= 500) {
    step('prepare-unavailable', String(answer.body.code));
    return undefined;
  }
  if (answer.status !== 200) throw new Error(`${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const prepared = answer.body as unknown as PreparedPayment & { productType?: string };
  const paymentId = prepared.paymentId;
  step(`gated-prepare`, `${kind} ${paymentId} ${prepared.totalAmount} ${JSON.stringify(items)}${virtual ? ' (virtual account)' : ''}`);
  t.priced(paymentId, { prepared, virtual, lines: items.map(({ id, quantity }) => ({ id, quantity, unitAmount: CATALOG[id] ?? limitedPrice(id) })) });
  s.gated.set(paymentId, kind);

  /** Posts a window's result to the kit's complete route, as the element does (a manual approval's token included). */
  const complete = async (token: string | undefined, txId: string | undefined) => {
    if (keyAndPay) {
      if (token === undefined) return post('/payments/complete', { paymentId });
      return post('/billing-key-and-pay/complete', { paymentId, billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: token });
    }
    return post('/payments/complete', { paymentId, ...(txId && txId !== 'NEEDS_CONFIRMATION' ? { txId } : {}), ...(token ? { paymentToken: token } : {}) });
  };
  const shown = (a: { status: number; body: Record<string, unknown> }) => `${a.status} ${String(a.body.code ?? (a.body.order as { status?: string } | undefined)?.status)}`;

  /** One window for the order, ended as a shopper (or an attacker) would, and its result delivered (or not). */
  const window = async () => {
    await later();
    const action = pick(['approve', 'approve', 'approve', 'approve', 'approve', 'decline', 'cancel', 'tamper-name', 'tamper-amount'] as const);
    const request: Record<string, unknown> = {
      storeId: prepared.storeId,
      channelKey: kind === 'confirm' ? (prepared.channelKey ?? sandbox.channelKeys.payment) : keyAndPay ? gates.channels.billingKeyAndPay : gates.channels.payment,
      paymentId,
      orderName: prepared.orderName,
      totalAmount: prepared.totalAmount,
      currency: prepared.currency,
      customer: { ...BUYER, ...prepared.customer },
      customData: prepared.customData,
      ...(keyAndPay
        ? { billingKeyAndPayMethod: 'MOBILE', productType: prepared.productType ?? 'DIGITAL' }
        : { payMethod: virtual ? 'VIRTUAL_ACCOUNT' : 'CARD', ...(virtual ? { virtualAccount: { accountExpiry: { validHours: 24 } } } : {}) }),
      ...(kind === 'confirm' ? { confirmUrl: shop.confirmUrl!() } : {}),
    };
    // The page's amount changed (a pre-registered one never opens a window), or the name.
    if (action === 'tamper-amount') request.totalAmount = prepared.totalAmount - 1_000;
    if (action === 'tamper-name') request.orderName = `${prepared.orderName} (변조)`;
    if (action.startsWith('tamper')) s.wronged.add(paymentId);
    const opened = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transactionType: keyAndPay ? 'ISSUE_BILLING_KEY_AND_PAY' : 'PAYMENT', request, client: BROWSER }),
    });
    const openedBody = (await opened.json()) as { txId?: string; code?: string };
    step('gated-window', `${paymentId} ${kind} ${action} → open ${opened.status}${openedBody.code ? ` ${openedBody.code}` : ''}`);
    if (!openedBody.txId) return;
    if (chance(0.3)) await later();
    const result = action.startsWith('tamper') ? 'approve' : action;
    // With the confirm process this waits for the kit's answer to PortOne.
    const done = await fetch(`${sandbox.url}/checkout/transactions/${encodeURIComponent(openedBody.txId)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: { result } }),
    });
    const ended = (await done.json()) as { response?: { code?: string; txId?: string; paymentToken?: string; billingIssueToken?: string }; code?: string };
    const response = ended.response;
    const token = response?.paymentToken ?? response?.billingIssueToken;
    const stopped = response?.code === 'ConfirmProcessFailed';
    step(`gated-window-${result}`, `${paymentId} → ${done.status}${response?.code ? ` ${response.code}` : ended.code ? ` ${ended.code}` : ''}${token ? ' (token)' : ''}`);
    if (kind === 'confirm' && result === 'approve' && response) step(stopped ? 'confirm-stopped' : 'confirm-approved', paymentId);
    if (!response) return;

    if (token === undefined) {
      // A failed or cancelled window, or one the confirm process let through: the element completes (or the tab closed).
      if (chance(0.7)) step('gated-complete', `${paymentId} → ${shown(await complete(undefined, response.txId))}`);
      return;
    }
    const mode = pick(['once', 'once', 'twice', 'redirect-and-promise', 'late', 'lost'] as const);
    const answers: { status: number; body: Record<string, unknown> }[] = [];
    if (mode === 'once') answers.push(await complete(token, response.txId));
    else if (mode === 'twice') answers.push(...(await Promise.all([complete(token, response.txId), complete(token, response.txId)])));
    else if (mode === 'redirect-and-promise') {
      // The promise resolves in the page while the redirect's return posts the same token.
      answers.push(...(await Promise.all([complete(token, response.txId), later().then(() => complete(token, response.txId))])));
    } else if (mode === 'late') {
      await later();
      await later();
      answers.push(await complete(token, response.txId));
    }
    step(`token-${mode}`, `${paymentId} → ${answers.map(shown).join(', ') || 'never sent'}`);
    if (answers.some((a) => a.body.code === 'APPROVAL_IN_PROGRESS')) step('approval-in-progress', paymentId);
    if (answers.some((a) => a.body.code === 'RESERVATION_REFUSED')) step('reservation-refused', paymentId);
    // The shopper who saw "in progress" asks again a little later (or has gone: retries and reconcile() finish it).
    if (mode !== 'lost' && answers.some((a) => a.body.code === 'APPROVAL_IN_PROGRESS') && chance(0.5)) {
      await later();
      step('token-again', `${paymentId} → ${shown(await complete(token, response.txId))}`);
    }
  };

  const actors = [window()];
  // A second window for the same order (another tab): the first abandoned, or still completing (its token or confirmation in flight).
  if (SECOND_WINDOW[kind] && chance(0.25)) actors.push(later().then(window));
  return actors;
}

/**
 * After a batch settled: the stock invariants over its limited products and gated orders (stock.ts
 * `checkStock`), reported with the scenario that broke one; counts how they ended. Answers the
 * batch's gated paymentIds.
 */
export async function checkGatedBatch(o: {
  sandbox: Sandbox;
  shop: ShopUnderTest;
  watch: GateWatch;
  skus: readonly string[];
  scenarios: readonly Scenario[];
  fulfilments: readonly Fulfilment[];
  where: (s: Scenario) => string;
  count: (step: string) => void;
  steps: Record<string, number>;
  seed: number;
  batch: number;
}): Promise<string[]> {
  const observed: (StockObserved & { scenario: Scenario })[] = [];
  for (const s of o.scenarios) {
    for (const [paymentId] of s.gated) {
      const order = await o.shop.getOrder(paymentId);
      const priced = s.priced.get(paymentId)!;
      // The cart the order was made for: a gated order is prepared once, so there is one.
      const lines = limitedLines((priced.find((p) => p.prepared.totalAmount === order?.totalAmount) ?? priced[0]!).lines);
      observed.push({ scenario: s, paymentId, lines, order, payment: o.sandbox.payment(paymentId), fulfilled: o.fulfilments.some((f) => f.paymentId === paymentId) });
    }
  }
  const view = await o.shop.stock!.view();
  try {
    checkStock({ skus: o.skus, view, charges: o.watch.charges, observed });
  } catch (error) {
    const culprit = observed.find((ob) => (error as Error).message.startsWith(ob.paymentId))?.scenario;
    const story = culprit ? `${o.where(culprit)}:\n  ${culprit.log.join('\n  ')}` : `seed ${o.seed}, batch ${o.batch} (${observed.length} gated orders; stock ${JSON.stringify(o.skus)})`;
    throw new Error(`interleaving checker: a stock invariant broke at ${story}\n${(error as Error).message}`);
  }
  const add = (name: string, n: number) => (o.steps[name] = (o.steps[name] ?? 0) + n);
  for (const ob of observed) o.count(`gated-${ob.order?.status ?? 'none'}`);
  for (const sku of o.skus) add('units-stocked', view.initial[sku]!);
  for (const hold of Object.values(view.holds)) for (const line of hold.lines) if (hold.state === 'sold' && o.skus.includes(line.id)) add('units-sold', line.quantity);
  return observed.map((ob) => ob.paymentId);
}

/**
 * The end of the run: whatever waits for a deposit expires (when the kit keeps the sandbox's time),
 * everything settles once more, and then no stock may be held for an order that is not paid.
 */
export async function checkGatedEnd(o: { sandbox: Sandbox; shop: ShopUnderTest; expireAtEnd: boolean; gatedIds: readonly string[]; seed: number; settle: () => Promise<void> }): Promise<void> {
  if (o.expireAtEnd) {
    await o.sandbox.advance(25 * 3_600_000);
    await o.settle();
  }
  const view = await o.shop.stock!.view();
  const waiting = new Set<string>();
  if (!o.expireAtEnd) {
    for (const paymentId of o.gatedIds) if ((await o.shop.getOrder(paymentId))?.status === 'VIRTUAL_ACCOUNT_ISSUED') waiting.add(reservationOf(paymentId));
  }
  try {
    checkNothingHeld(view, (reservationId) => waiting.has(reservationId));
  } catch (error) {
    throw new Error(`interleaving checker: at the end of the run (seed ${o.seed}), after reconcile() and every event ran:\n${(error as Error).message}`);
  }
}

// Manual approval (수동 승인): on a manual-approval channel the window answers with a token and no money
// moves until the server confirms it. The complete route records the token on the order (or issue),
// with a `confirm-*` follow-up in the same change, and runs that at once: the follow-up asks the
// shop's `reserve`, then confirms with PortOne — the order's own amount and currency as cross-checks —
// and syncs the result like any payment. Refused by the shop, refused by PortOne or too late: the
// order fails uncharged and a reservation made is released. Whatever dies in between, another
// instance finishes it (the follow-up's claim runs out), or reconcile()'s due events do.
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { Approval, BillingKeyIssue, HookEvent, NewEvent, Order } from './model.js';
import { changeOrder, type Change } from './orders.js';
import type { Outbox } from './outbox.js';
import { PortOneRejection } from './portone.js';
import { readPayment } from './reads.js';
import { releasing, releasingIssue, reserve } from './reservations.js';
import { syncPayment } from './sync.js';

/** Tries to record a token, each after a look at whether it was seen (see `approveOrder`); one more look then decides. */
const LOOK_ROUNDS = 8;

/** Other requests kept changing the order (or issue) between each look and the try to record the token. */
const tooBusy = (what: string) =>
  new CheckoutError('ORDER_BUSY', `${what}: expected it to hold still long enough to record a manual approval, got ${LOOK_ROUNDS} changes by other requests in a row; retry`, { retryAfterSeconds: 1 });

/** Statuses a new manual approval may be recorded on: nothing was taken yet. */
const UNCHARGED = ['PENDING', 'FAILED'] as const;

// One follow-up per token, keyed by the token's digest: events are kept for good, so a token whose
// approval ended (refused, failed, expired) is recognised when it comes back and never asked again.
const confirmKey = (paymentId: string, tokenId: string) => `confirm-payment:${paymentId}:${tokenId}`;
const issueConfirmKey = (issueId: string, tokenId: string) => `confirm-billing-key:${issueId}:${tokenId}`;

/** The token's SHA-256, base64url: names it in event keys without keeping the credential there. */
async function tokenIdOf(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether this token was approved before (its follow-up exists): its approval ran, or runs now. */
async function seen(ctx: KitContext, key: string): Promise<boolean> {
  return (await ctx.store.listEvents({ keys: [key], limit: 1 })).length > 0;
}

/** PortOne's cross-check of a test payment: a shop that takes only live payments says so at confirm, so PortOne refuses a test one before charging it. */
const isTestCheck = (ctx: KitContext): { isTest?: boolean } => (ctx.options.allowTestChannels ? {} : { isTest: false });

/**
 * Records a window's token on the order (a second window's token is a new attempt) and runs the
 * confirmation; resolves once it ran or someone else is running it (up to `hookWaitMs`). A token
 * whose approval already ended is not approved again: the order answers as it stands.
 */
export async function approveOrder(ctx: KitContext, outbox: Outbox, order: Order, token: string, via: Approval['via']): Promise<void> {
  const tokenId = await tokenIdOf(token);
  const key = confirmKey(order.paymentId, tokenId);
  // Whether the token was seen is looked up, then the token recorded: a request that found no
  // follow-up, while another recorded this token and a newer window's token replaced it, would record
  // it again onto a follow-up that exists already — an approval nothing ever confirms. So the token
  // is recorded only onto the order as it stood before the look; if the order changed since, look again.
  let looked = order;
  for (let round = 1; ; round++) {
    if (looked.approval?.token !== token && (await seen(ctx, key))) return;
    if (round > LOOK_ROUNDS) throw tooBusy(`order ${order.paymentId}`);
    const before = looked;
    const recorded = await changeOrder(
      ctx,
      order.paymentId,
      (current): Change | undefined => {
        if (!(UNCHARGED as readonly string[]).includes(current.status)) return undefined;
        // The same window's token again (a retried complete, the redirect and the promise): nothing new.
        if (current.approval?.token === token) return undefined;
        if (current.revision !== before.revision) return undefined;
        // The revision this change makes: unique to this approval of this order.
        const attempt = current.revision + 1;
        const approval: Approval = { token, via, attempt, receivedAt: ctx.options.now() };
        const event: NewEvent = { key, type: 'confirm-payment', paymentId: current.paymentId, payload: { attempt, tokenId } };
        return { to: current.status, patch: { approval }, events: [event] };
      },
      { known: before, claim: outbox.newClaim() },
    );
    const current = recorded.order;
    if (!recorded.changed && current.revision !== before.revision && (UNCHARGED as readonly string[]).includes(current.status) && current.approval?.token !== token) {
      looked = current;
      continue;
    }
    const keys = recorded.changed ? recorded.events : current.approval?.token === token ? [key] : [];
    await outbox.run(keys, recorded.claimed, current);
    return;
  }
}

/** Ends an approval without a charge: the order fails with why, the token is dropped, a reservation released. */
function failApproval(order: Order, attempt: number, code: 'RESERVATION_REFUSED' | 'CONFIRM_FAILED' | 'APPROVAL_EXPIRED', reason: string, shopperMessage?: string) {
  return (current: Order): Change | undefined => {
    if (!(UNCHARGED as readonly string[]).includes(current.status) || current.approval?.attempt !== attempt) return undefined;
    const released = releasing(current, reason);
    return {
      to: 'FAILED',
      patch: { approval: null, failure: { code, reason, ...(shopperMessage ? { shopperMessage } : {}) }, ...released.patch },
      events: [
        { key: `failed:${order.paymentId}:approval-${attempt}`, type: 'failed', paymentId: order.paymentId, payload: {} },
        ...released.events,
      ],
      note: { level: 'warn', message: `order ${order.orderId}: manual approval ended without a charge (${code}): ${reason}`, fields: { paymentId: order.paymentId } },
    };
  };
}

/** The `confirm-payment` follow-up: reserve, confirm with PortOne, sync — for the attempt it was written for only. */
export async function confirmOrder(ctx: KitContext, event: HookEvent): Promise<readonly string[]> {
  const paymentId = event.paymentId!;
  const { attempt, tokenId } = event.payload as { attempt: number; tokenId: string };
  let order = await ctx.store.getOrder(paymentId);
  if (!order || order.approval?.attempt !== attempt || !(UNCHARGED as readonly string[]).includes(order.status)) return [];
  if ((await tokenIdOf(order.approval.token)) !== tokenId) return [];
  const { token, via, receivedAt } = order.approval;

  // Confirmed already (the answer to an earlier try was lost), or settled otherwise: the sync records it.
  const payment = await readPayment(ctx, paymentId);
  if (payment && payment.status !== 'READY') return (await syncPayment(ctx, paymentId, order)).events;

  if (ctx.options.now() - receivedAt > ctx.options.approvalTimeoutMs) {
    const reason = `the manual approval was not confirmed within ${ctx.options.approvalTimeoutMs} ms (approvalTimeoutMs)`;
    return (await changeOrder(ctx, paymentId, failApproval(order, attempt, 'APPROVAL_EXPIRED', reason))).events;
  }

  // The reservation is recorded before the shop is asked, so a crash, a timeout or a refusal in
  // between still ends in `release` unless the order is paid.
  if (order.reservedAt === undefined) {
    const intent = await changeOrder(ctx, paymentId, (current) =>
      current.approval?.attempt === attempt && (UNCHARGED as readonly string[]).includes(current.status) && current.reservedAt === undefined
        ? { to: current.status, patch: { reservedAt: ctx.options.now() } }
        : undefined,
    );
    // Another attempt took over meanwhile: it goes on with the reservation.
    if (intent.order.approval?.attempt !== attempt || !(UNCHARGED as readonly string[]).includes(intent.order.status)) return [];
    order = intent.order;
  }
  try {
    // Asked again after a crash or a retry: the shop's reservation is idempotent by its id.
    await reserve(ctx, { order }, 'manual-approval');
  } catch (error) {
    if (!(error instanceof CheckoutError && error.code === 'RESERVATION_REFUSED')) throw error;
    return (await changeOrder(ctx, paymentId, failApproval(order, attempt, 'RESERVATION_REFUSED', error.message, error.shopperMessage))).events;
  }

  try {
    const checks = { totalAmount: order.totalAmount, currency: order.currency, ...(order.taxFreeAmount ? { taxFreeAmount: order.taxFreeAmount } : {}), ...isTestCheck(ctx) };
    if (via === 'payment') await ctx.portone.confirmPayment({ paymentId, paymentToken: token, ...checks });
    else await ctx.portone.confirmBillingKeyIssueAndPay({ billingIssueToken: token, paymentId, ...checks });
  } catch (error) {
    if (!(error instanceof PortOneRejection)) throw error;
    // Confirmed by an earlier try whose answer was lost: the sync below records it.
    if (error.type !== 'ALREADY_PAID' && error.type !== 'BILLING_KEY_ALREADY_ISSUED') {
      return (await changeOrder(ctx, paymentId, failApproval(order, attempt, 'CONFIRM_FAILED', error.message))).events;
    }
  }
  // Verified like any payment: the amount paid, the store, the channel, the key that paid.
  return (await syncPayment(ctx, paymentId)).events;
}

/** Whether this token was recorded for this billing-key issue (its confirmation exists): only such a token is answered the key. */
export async function issueTokenSeen(ctx: KitContext, issueId: string, token: string): Promise<boolean> {
  return seen(ctx, issueConfirmKey(issueId, await tokenIdOf(token)));
}

/** The issue's approval number: its approval's attempt, else the last ended one's (see `IssueApprovalChange.attempt`). */
const issueAttempt = (issue: BillingKeyIssue): number => issue.approval?.attempt ?? issue.failure?.attempt ?? 0;

/**
 * Records a billing-key window's token on its issue and runs the confirmation (as `approveOrder` does
 * for orders, and for the same reason only onto the issue as it stood before the look: its attempt,
 * which an ended approval keeps, stands in for the order's revision).
 */
export async function approveIssue(ctx: KitContext, outbox: Outbox, issue: BillingKeyIssue, token: string): Promise<void> {
  const tokenId = await tokenIdOf(token);
  const key = issueConfirmKey(issue.issueId, tokenId);
  let looked = issue;
  for (let round = 1; ; round++) {
    if (looked.status !== 'PENDING') return;
    // The same window's token again (a retried complete, the redirect and the promise): its confirmation.
    if (looked.approval?.token === token) {
      await outbox.run([key]);
      return;
    }
    // A token whose approval ended is not approved again.
    if (await seen(ctx, key)) return;
    if (round > LOOK_ROUNDS) throw tooBusy(`issue ${issue.issueId}`);
    const attempt = issueAttempt(looked) + 1;
    const event: NewEvent = { key, type: 'confirm-billing-key', payload: { issueId: issue.issueId, attempt, tokenId } };
    const now = ctx.options.now();
    if (await ctx.store.changeIssueApproval({ issueId: issue.issueId, attempt: attempt - 1, patch: { approval: { token, attempt, receivedAt: now }, failure: null }, events: [event], now })) {
      await outbox.run([event.key]);
      return;
    }
    // Another request recorded an approval (or ended one) since the issue was read: look again.
    const current = await ctx.store.getIssue(issue.issueId);
    if (!current) return;
    looked = current;
  }
}

/**
 * The `confirm-billing-key` follow-up: reserve, confirm the key with PortOne, then verify and store
 * it exactly as a key issued without approval (`complete`, given by the billing-key flow).
 */
export async function confirmIssue(ctx: KitContext, event: HookEvent, complete: (billingKey: string, issueId: string) => Promise<unknown>): Promise<readonly string[]> {
  const { issueId, attempt, tokenId } = event.payload as { issueId: string; attempt: number; tokenId: string };
  const issue = await ctx.store.getIssue(issueId);
  if (!issue || issue.status !== 'PENDING' || issue.approval?.attempt !== attempt) return [];
  if ((await tokenIdOf(issue.approval.token)) !== tokenId) return [];
  let reservedAt = issue.reservedAt;
  /** Ends the approval without a key; resolves with the follow-ups to run (the release). */
  const end = async (code: 'RESERVATION_REFUSED' | 'CONFIRM_FAILED' | 'APPROVAL_EXPIRED', reason: string, shopperMessage?: string): Promise<string[]> => {
    const now = ctx.options.now();
    const events = reservedAt !== undefined ? releasingIssue({ ...issue, reservedAt }, reason) : [];
    const ended = await ctx.store.changeIssueApproval({
      issueId,
      attempt,
      // The ended attempt's number is kept (in the failure): the next approval is the one after it.
      patch: { approval: null, failure: { code, reason, ...(shopperMessage ? { shopperMessage } : {}), attempt }, ...(reservedAt !== undefined ? { reservedAt: null } : {}) },
      events,
      now,
    });
    if (!ended) return [];
    ctx.log.warn(`billing-key issue ${issueId}: manual approval ended without a key (${code}): ${reason}`);
    return events.map((e) => e.key);
  };
  if (ctx.options.now() - issue.approval.receivedAt > ctx.options.approvalTimeoutMs) {
    return end('APPROVAL_EXPIRED', `the manual approval was not confirmed within ${ctx.options.approvalTimeoutMs} ms (approvalTimeoutMs)`);
  }
  // Recorded before the shop is asked (see confirmOrder).
  if (reservedAt === undefined) {
    const now = ctx.options.now();
    if (!(await ctx.store.changeIssueApproval({ issueId, attempt, patch: { reservedAt: now }, now }))) return [];
    reservedAt = now;
  }
  const reserving: BillingKeyIssue = { ...issue, reservedAt };
  try {
    await reserve(ctx, { issue: reserving }, 'manual-approval');
  } catch (error) {
    if (!(error instanceof CheckoutError && error.code === 'RESERVATION_REFUSED')) throw error;
    return end('RESERVATION_REFUSED', error.message, error.shopperMessage);
  }
  let billingKey: string;
  try {
    ({ billingKey } = await ctx.portone.confirmBillingKey({ billingIssueToken: issue.approval.token, ...isTestCheck(ctx) }));
  } catch (error) {
    if (!(error instanceof PortOneRejection)) throw error;
    // Issued by an earlier try whose answer was lost: PortOne's BillingKey.Issued webhook carries the key to the issue.
    if (error.type === 'BILLING_KEY_ALREADY_ISSUED') return [];
    return end('CONFIRM_FAILED', error.message);
  }
  try {
    await complete(billingKey, issueId);
    return [];
  } catch (error) {
    // A key PortOne issued for this token that is not this issue's (store, channel, customer): never kept.
    if (!(error instanceof CheckoutError && error.status < 500)) throw error;
    ctx.log.error(`billing-key issue ${issueId}: the key PortOne confirmed did not verify (${error.code}); it is not kept`);
    return end('CONFIRM_FAILED', error.message);
  }
}

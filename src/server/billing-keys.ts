// Billing keys issued on their own (the billing-key button): prepare an issue, verify the key PortOne
// issued against it (issued, this store, channel, customer and issue), store it per customer, and for
// a plan start the subscription with its first period's order. The BillingKey.* webhooks land here too.
import type { BillingKeyResponse, CheckoutCustomer, PreparedBillingKey } from '../contract.js';
import { approveIssue, issueTokenSeen } from './approvals.js';
import type { KitContext } from './context.js';
import { admit, identify, ownerOf } from './customers.js';
import { CheckoutError } from './errors.js';
import { customDataId, newId } from './ids.js';
import type { BillingKeyIssue, NewEvent, NewOrder, StoredBillingKey, Subscription } from './model.js';
import type { BillingPlan } from './options.js';
import type { Outbox } from './outbox.js';
import { keyExpectation, readBillingKey, storedKey } from './reads.js';
import { cancelSubscription, newSubscription, periodOrder, planOf } from './subscriptions.js';
import * as validate from './validate.js';
import { maskKey, verifyBillingKey, type KnownBillingKeyInfo } from './verify.js';
import { billingKeyView, orderView, subscriptionView } from './views.js';

export async function prepareBillingKey(ctx: KitContext, request: Request, body: Record<string, unknown>): Promise<PreparedBillingKey> {
  await admit(ctx, request, 'billing-key');
  const input = validate.prepareBillingKeyRequest(body, ctx.options.plans);
  const shopper = await identify(ctx, request, input.customer);
  const plan = input.plan !== undefined ? ctx.options.plans[input.plan] : undefined;
  const named = shopper.customer?.customerId;
  const issue = (input.previousIssueId !== undefined && (await updateIssue(ctx, input.previousIssueId, named, shopper.customer, input.plan))) || (await newIssue(ctx, named, shopper.customer, input.plan, plan));
  const answer: PreparedBillingKey = {
    issueId: issue.issueId,
    issueName: issue.issueName,
    customer: { ...issue.customer, customerId: issue.customerId },
    storeId: ctx.options.portone.storeId,
    customData: { issueId: issue.issueId },
  };
  if (ctx.options.channelKeys.billingKey) answer.channelKey = ctx.options.channelKeys.billingKey;
  if (plan) {
    answer.displayAmount = plan.amount;
    answer.currency = plan.currency;
    answer.offerPeriodInterval = plan.interval;
  }
  if (ctx.options.noticeUrls.length > 0) answer.noticeUrls = [...ctx.options.noticeUrls];
  return answer;
}

async function newIssue(ctx: KitContext, named: string | undefined, details: CheckoutCustomer | undefined, planId: string | undefined, plan: BillingPlan | undefined): Promise<BillingKeyIssue> {
  // A billing key is always a customer's; the kit assigns an id when nobody named one.
  const customerId = named ?? newId('cus');
  const issue: BillingKeyIssue = {
    issueId: newId('iss'),
    issueName: plan?.name ?? ctx.options.billingKeyIssueName,
    customerId,
    customer: { ...details, customerId },
    status: 'PENDING',
    createdAt: ctx.options.now(),
  };
  if (named === undefined) issue.customerIdAssigned = true;
  if (planId !== undefined) issue.plan = planId;
  await ctx.store.createIssue(issue);
  return issue;
}

/**
 * The element's previous issue, with the shopper's new details, when it is still PENDING, for the
 * same customer and the same plan. Only names, phone and e-mail change — what a key is checked
 * against (store, channel, customer id, issue id) stays — so a window already open for it is
 * unaffected. Anything else answers `undefined` and a new issue is prepared.
 */
async function updateIssue(ctx: KitContext, issueId: string, named: string | undefined, details: CheckoutCustomer | undefined, planId: string | undefined): Promise<BillingKeyIssue | undefined> {
  const previous = await ctx.store.getIssue(issueId);
  if (!previous || previous.status !== 'PENDING' || previous.plan !== planId || ownerOf(previous) !== named) return undefined;
  const customer = { ...details, customerId: previous.customerId };
  const updated = await ctx.store.updatePendingIssue({ issueId, customerId: previous.customerId, ...(planId !== undefined ? { plan: planId } : {}), customer });
  return updated ? { ...previous, customer } : undefined;
}

const issueNotFound = (issueId: string) => new CheckoutError('ISSUE_NOT_FOUND', `issueId: expected one prepared by this shop, got ${JSON.stringify(issueId)} which it does not know`);

async function billingKeyAnswer(ctx: KitContext, issue: BillingKeyIssue): Promise<BillingKeyResponse> {
  const key = await ctx.store.getBillingKey(issue.billingKey!);
  if (!key) throw new Error(`billing key of issue ${issue.issueId} is missing from the store`);
  const answer: BillingKeyResponse = { billingKey: billingKeyView(key) };
  const subscription = issue.subscriptionId ? await ctx.store.getSubscription(issue.subscriptionId) : undefined;
  if (subscription) answer.subscription = subscriptionView(subscription);
  const order = issue.paymentId ? await ctx.store.getOrder(issue.paymentId) : undefined;
  if (order) answer.order = orderView(order);
  return answer;
}

/**
 * Verifies and stores a billing key for the issue it was prepared for; with a plan, starts the
 * subscription and charges its first period. The route and the `BillingKey.Issued` webhook both
 * come here; whichever is first does it, the other gets the same answer.
 */
export async function completeBillingKey(ctx: KitContext, outbox: Outbox, input: { billingKey: string; issueId?: string; billingIssueToken?: string }): Promise<BillingKeyResponse> {
  if (input.billingIssueToken !== undefined) return approveBillingKey(ctx, outbox, input.issueId!, input.billingIssueToken);
  // An issue this shop never prepared is refused before PortOne is asked anything.
  if (input.issueId !== undefined && !(await ctx.store.getIssue(input.issueId))) throw issueNotFound(input.issueId);
  const info = await readBillingKey(ctx, input.billingKey);
  const reported = info.issueId ?? customDataId(info.customData, 'issueId');
  if (input.issueId !== undefined && reported !== undefined && input.issueId !== reported) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billing key ${maskKey(input.billingKey)}: issueId expected ${JSON.stringify(input.issueId)}, got ${JSON.stringify(reported)}`);
  }
  const issueId = input.issueId ?? reported;
  if (issueId === undefined) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billing key ${maskKey(input.billingKey)}: expected one issued for an issueId this shop prepared, got one without an issueId`);
  }
  const issue = await ctx.store.getIssue(issueId);
  if (!issue) throw issueNotFound(issueId);
  const replay = async (current: BillingKeyIssue) => {
    if (current.billingKey !== input.billingKey) {
      throw new CheckoutError('ISSUE_ALREADY_COMPLETED', `issue ${issueId}: expected to be completed once, got a second billing key ${maskKey(input.billingKey)} after ${maskKey(current.billingKey ?? '')}`);
    }
    // The first charge may have been left to a retry: let this request push it along.
    if (current.subscriptionId) await outbox.run([`charge-first-period:${current.subscriptionId}`]);
    return billingKeyAnswer(ctx, (await ctx.store.getIssue(issueId)) ?? current);
  };
  if (issue.status === 'COMPLETED') return replay(issue);

  const verdict = verifyBillingKey(info, keyExpectation(ctx, 'billing-key', issue.customerId, issueId));
  if (!verdict.ok) throw new CheckoutError(verdict.code, verdict.message);

  const now = ctx.options.now();
  const key = storedKey(info, issue.customerId, now, issueId);
  const events: NewEvent[] = [{ key: `billing-key-issued:${info.billingKey}`, type: 'billing-key-issued', payload: { billingKey: info.billingKey } }];
  let subscription: Subscription | undefined;
  let firstOrder: NewOrder | undefined;
  if (issue.plan !== undefined) {
    const plan = planOf(ctx, issue.plan);
    const id = newId('sub');
    firstOrder = periodOrder(ctx, { id, plan: issue.plan, customerId: issue.customerId, billingKey: info.billingKey }, plan, now);
    subscription = newSubscription({ id, customerId: issue.customerId, planId: issue.plan, plan, billingKey: info.billingKey, firstPaymentId: firstOrder.paymentId, startedAt: now, now });
    events.push({ key: `charge-first-period:${subscription.id}`, type: 'charge-first-period', paymentId: firstOrder.paymentId, payload: { subscriptionId: subscription.id } });
  }
  const won = await ctx.store.completeIssue({
    issueId,
    customerId: issue.customerId,
    ...(issue.plan !== undefined ? { plan: issue.plan } : {}),
    billingKey: info.billingKey,
    key,
    events,
    now,
    ...(subscription ? { subscription } : {}),
    ...(firstOrder ? { firstOrder } : {}),
  });
  if (!won) return replay((await ctx.store.getIssue(issueId)) ?? issue);
  await outbox.run(events.map((e) => e.key));
  return billingKeyAnswer(ctx, (await ctx.store.getIssue(issueId)) ?? issue);
}

/**
 * A manual-approval window's token for an issue: the kit reserves, confirms the key with PortOne and
 * verifies it as any key (`confirmIssue`), then answers as for a key the window issued itself.
 */
async function approveBillingKey(ctx: KitContext, outbox: Outbox, issueId: string, token: string): Promise<BillingKeyResponse> {
  const issue = await ctx.store.getIssue(issueId);
  if (!issue) throw issueNotFound(issueId);
  // Approved already (a retried complete, the redirect after the promise): the key it got — only for
  // the token that got it, since the issue's id alone must not hand out its key.
  if (issue.status === 'COMPLETED') {
    if (await issueTokenSeen(ctx, issueId, token)) return billingKeyAnswer(ctx, issue);
    throw new CheckoutError('ISSUE_ALREADY_COMPLETED', `issue ${issueId}: expected a manual approval's token for an issue still open, got a token this issue never approved (it is completed)`);
  }
  await approveIssue(ctx, outbox, issue, token);
  const after = (await ctx.store.getIssue(issueId)) ?? issue;
  if (after.status === 'COMPLETED') return billingKeyAnswer(ctx, after);
  if (after.approval !== undefined) {
    throw new CheckoutError('APPROVAL_IN_PROGRESS', `issue ${issueId}: expected the manual approval to be confirmed, got it still being confirmed (by another request, or again once PortOne answers); ask again shortly`, { retryAfterSeconds: 2 });
  }
  const failure = after.failure;
  if (failure?.code === 'RESERVATION_REFUSED') {
    throw new CheckoutError('RESERVATION_REFUSED', failure.reason ?? 'the shop refused the reservation', failure.shopperMessage ? { shopperMessage: failure.shopperMessage } : {});
  }
  throw new CheckoutError('APPROVAL_FAILED', `issue ${issueId}: expected the manual approval to issue a key, got ${failure?.code ?? 'none'}: ${failure?.reason ?? 'no key'}; nothing was charged, the shopper may try again`);
}

/** `BillingKey.*` webhooks: re-read the key and record what PortOne says; an issued key finishes its pending issue. */
export async function syncBillingKey(ctx: KitContext, outbox: Outbox, billingKey: string, type: string): Promise<'processed' | 'ignored'> {
  if (type === 'BillingKey.Issued') {
    const stored = await ctx.store.getBillingKey(billingKey);
    if (stored) return 'processed';
    try {
      await completeBillingKey(ctx, outbox, { billingKey });
      return 'processed';
    } catch (error) {
      // Not one of this shop's issues (or not yet verifiable): nothing to record.
      if (error instanceof CheckoutError && error.status < 500) return 'ignored';
      throw error;
    }
  }
  if (type === 'BillingKey.Deleted' || type === 'BillingKey.Updated') {
    const stored = await ctx.store.getBillingKey(billingKey);
    if (!stored) return 'ignored';
    let info: KnownBillingKeyInfo;
    try {
      info = await readBillingKey(ctx, billingKey);
    } catch (error) {
      if (error instanceof CheckoutError && error.code === 'BILLING_KEY_NOT_FOUND') return 'ignored';
      throw error;
    }
    const now = ctx.options.now();
    const updated: StoredBillingKey = { ...stored, status: info.status === 'DELETED' ? 'DELETED' : 'ISSUED', updatedAt: now };
    if (info.status === 'DELETED') updated.deletedAt = info.deletedAt;
    await ctx.store.saveBillingKey(updated, [], now);
    if (info.status === 'DELETED') {
      for (const subscription of await ctx.store.listSubscriptions({ billingKey, statuses: ['INCOMPLETE', 'ACTIVE', 'PAST_DUE'] })) {
        ctx.log.warn(`billing key of subscription ${subscription.id} was deleted; the subscription is cancelled`);
        await cancelSubscription(ctx, subscription.id).catch((error: unknown) => ctx.log.error(`could not cancel subscription ${subscription.id}`, { error: error instanceof Error ? error : String(error) }));
      }
    }
    return 'processed';
  }
  return 'ignored';
}

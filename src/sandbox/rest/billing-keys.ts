// Billing-key endpoints: API issue (keyed-in card), read, list, delete, and the two manual-approval
// confirmations of window-issued keys (within `manualApprovalTtlMs` of the window).
import type {
  ConfirmedBillingKeyIssueAndPaySummary,
  ConfirmedBillingKeySummary,
  DeleteBillingKeyResponse,
  IssueBillingKeyResponse,
  IssuedBillingKeyInfo,
} from '@portone/server-sdk/payment/billingKey';
import { ApiError, pgProviderError } from '../errors.js';
import * as input from '../input.js';
import { inicisTid, iso, newBillingKey } from '../ids.js';
import { APPROVAL_EXPIRED_DECLINE, cardCompanyForNumber, cardFields } from '../catalog.js';
import { selectedChannel } from '../payments.js';
import type { BillingKeyEntry, PaymentEntry } from '../core/state.js';
import { RawJson, read, type RestContext } from './context.js';
import { approvalExpired } from './payments.js';
import { readCardCredential, readCustomer, requireInicisCustomer } from './readers.js';

/** `POST /billing-keys`: issues a key from a keyed-in card (KG Inicis needs an API billing contract). */
export function issueBillingKey(ctx: RestContext): IssueBillingKeyResponse {
  const { runtime, emitter } = ctx.core;
  const body = read(() => {
    const method = input.object(ctx.body.method, 'method');
    const card = input.optObject(method.card, 'method.card');
    if (!card) throw new input.InputError('`method.card`: KG Inicis issues API billing keys for cards only; expected { card: { credential } }, got nothing');
    return {
      storeId: input.optString(ctx.body.storeId, 'storeId'),
      card,
      channelKey: input.optString(ctx.body.channelKey, 'channelKey'),
      channelGroupId: input.optString(ctx.body.channelGroupId, 'channelGroupId'),
      customData: input.optString(ctx.body.customData, 'customData'),
      noticeUrls: input.optHttpUrls(ctx.body.noticeUrls, 'noticeUrls'),
    };
  });
  runtime.checkStore(body.storeId);
  if (!body.channelKey && !body.channelGroupId) throw new ApiError('INVALID_REQUEST', '`channelKey`: expected a channel key (or `channelGroupId`), got nothing.');
  const channel = runtime.paymentChannel(body.channelKey);
  if (!channel) throw new ApiError('CHANNEL_NOT_FOUND', body.channelKey ? `Channel key ${JSON.stringify(body.channelKey)} is not a payment channel of store ${runtime.storeId}.` : `Channel group ${JSON.stringify(body.channelGroupId)} does not exist in store ${runtime.storeId}.`);
  const customer = read(() => readCustomer(ctx.body.customer));
  requireInicisCustomer(customer);
  const at = runtime.now();
  const cardNumber = readCardCredential(body.card.credential, 'method.card.credential', at);
  const billingKey = newBillingKey(at);
  const selected = selectedChannel(channel);
  const method = { type: 'BillingKeyPaymentMethodCard' as const, card: cardFields(cardCompanyForNumber(cardNumber), 'PERSONAL', cardNumber.slice(-4)) };
  const info: IssuedBillingKeyInfo = {
    status: 'ISSUED',
    billingKey,
    merchantId: runtime.credentials.merchantId,
    storeId: runtime.storeId,
    methods: [method],
    channels: [selected],
    customer,
    ...(body.customData !== undefined ? { customData: body.customData } : {}),
    requestedAt: iso(at),
    issuedAt: iso(at),
    pgBillingKeyIssueResponses: [{ type: 'ISSUED', channel: selected, pgTxId: inicisTid('BillingKey', channel.pgMerchantId, at, 'api'), method }],
  };
  const entry: BillingKeyEntry = { billingKey, status: 'ISSUED', origin: 'api', info, cardNumber, ...(body.noticeUrls ? { noticeUrls: body.noticeUrls } : {}) };
  runtime.state.billingKeys.set(billingKey, entry);
  emitter.emitBillingKey('BillingKey.Issued', entry);
  runtime.persist();
  return { billingKeyInfo: { billingKey, channels: [selected], issuedAt: info.issuedAt } };
}

export function getBillingKey(ctx: RestContext): RawJson {
  const { runtime, ledger } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  return new RawJson(JSON.stringify(ledger.requireBillingKey(ctx.params[0]!).info));
}

/** `DELETE /billing-keys/{key}?storeId&reason&requester`. */
export function deleteBillingKey(ctx: RestContext): DeleteBillingKeyResponse {
  const { runtime, emitter } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  read(() => input.optOneOf(ctx.query.get('requester') ?? undefined, 'requester', ['CUSTOMER', 'ADMIN']));
  const key = ctx.params[0]!;
  const entry = runtime.state.billingKeys.get(key);
  if (!entry) throw new ApiError('BILLING_KEY_NOT_FOUND', `Billing key ${JSON.stringify(key)} does not exist in store ${runtime.storeId}.`);
  if (entry.status === 'READY' || entry.status === 'FAILED' || !entry.info) throw new ApiError('BILLING_KEY_NOT_ISSUED', `Billing key ${JSON.stringify(key)} was never issued (its window ${entry.status === 'READY' ? 'is still open' : 'failed'}).`);
  if (entry.status === 'DELETED') throw new ApiError('BILLING_KEY_ALREADY_DELETED', `Billing key ${JSON.stringify(key)} is already deleted.`);
  const pending = [...runtime.state.schedules.values()].filter((s) => s.schedule.billingKey === key && s.schedule.status === 'SCHEDULED');
  if (pending.length > 0) {
    throw new ApiError('PAYMENT_SCHEDULE_ALREADY_EXISTS', `Billing key ${JSON.stringify(key)} has ${pending.length} scheduled payment(s) (${pending.map((s) => s.schedule.id).join(', ')}); revoke them first.`);
  }
  const deletedAt = iso(runtime.now());
  entry.status = 'DELETED';
  entry.info = { ...(entry.info as IssuedBillingKeyInfo), status: 'DELETED', deletedAt };
  emitter.emitBillingKey('BillingKey.Deleted', entry);
  runtime.persist();
  return { deletedAt };
}

/** The key a manual-approval window handed this token for (kept after confirming, so a second confirm is told so). */
function findByIssueToken(ctx: RestContext, token: string): BillingKeyEntry {
  const { runtime } = ctx.core;
  for (const entry of runtime.state.billingKeys.values()) if (entry.billingIssueToken === token) return entry;
  throw new ApiError('BILLING_KEY_NOT_FOUND', 'No billing key is waiting for this billingIssueToken.');
}

/** A token whose key failed (its approval came too late) waits for nothing any more. */
function requireWaiting(entry: BillingKeyEntry): void {
  if (entry.status === 'FAILED') {
    const until = entry.billingIssueTokenExpiresAt === undefined ? '' : ` (it could be confirmed until ${iso(entry.billingIssueTokenExpiresAt)})`;
    throw new ApiError('BILLING_KEY_NOT_FOUND', `No billing key is waiting for this billingIssueToken: the issue of ${entry.billingKey} failed${until}.`);
  }
}

/**
 * KG Inicis issues the key (and, for issue-and-pay, approves the payment) only within
 * `manualApprovalTtlMs` of the window; later it refuses: the key (and payment) FAILED, with webhooks.
 */
function refuseIfExpired(ctx: RestContext, entry: BillingKeyEntry, payment?: PaymentEntry): void {
  const { runtime, emitter, ledger } = ctx.core;
  const expiresAt = entry.billingIssueTokenExpiresAt;
  if (expiresAt === undefined || runtime.now() <= expiresAt) return;
  entry.status = 'FAILED';
  emitter.emitBillingKey('BillingKey.Failed', entry);
  if (payment) {
    const method = payment.pendingConfirm?.method;
    delete payment.pendingConfirm;
    ledger.markFailed(payment, approvalExpired(expiresAt), method);
  }
  runtime.persist();
  throw pgProviderError(APPROVAL_EXPIRED_DECLINE.pgCode, APPROVAL_EXPIRED_DECLINE.pgMessage);
}

function confirmIssue(ctx: RestContext, entry: BillingKeyEntry, isTest: boolean | undefined, payment?: PaymentEntry): void {
  const { runtime, emitter } = ctx.core;
  if (entry.status !== 'READY' || !entry.info) throw new ApiError('BILLING_KEY_ALREADY_ISSUED', `Billing key ${entry.billingKey} is already ${entry.status}.`);
  const test = entry.info.channels[0]?.type === 'TEST';
  if (isTest !== undefined && isTest !== test) throw new ApiError('INFORMATION_MISMATCH', `isTest is ${isTest}, but the key's channel is ${test ? 'TEST' : 'LIVE'}.`);
  refuseIfExpired(ctx, entry, payment);
  entry.status = 'ISSUED';
  entry.info = { ...entry.info, status: 'ISSUED', issuedAt: iso(runtime.now()) } as IssuedBillingKeyInfo;
  // The token stays on the key: confirming it again is BILLING_KEY_ALREADY_ISSUED, not "not found".
  emitter.emitBillingKey('BillingKey.Issued', entry);
  runtime.persist();
}

/** `POST /billing-keys/confirm`: issues a key a manual-approval window prepared. */
export function confirmBillingKey(ctx: RestContext): ConfirmedBillingKeySummary {
  const { runtime } = ctx.core;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    billingIssueToken: input.string(ctx.body.billingIssueToken, 'billingIssueToken'),
    isTest: input.optBoolean(ctx.body.isTest, 'isTest'),
  }));
  runtime.checkStore(body.storeId);
  const entry = findByIssueToken(ctx, body.billingIssueToken);
  if (entry.paymentId) throw new ApiError('INVALID_REQUEST', 'This billingIssueToken belongs to an issue-and-pay window; confirm it with /billing-keys/confirm-issue-and-pay.');
  requireWaiting(entry);
  confirmIssue(ctx, entry, body.isTest);
  return { billingKey: entry.billingKey };
}

/** `POST /billing-keys/confirm-issue-and-pay`: issues the key and completes its first payment. */
export function confirmBillingKeyIssueAndPay(ctx: RestContext): ConfirmedBillingKeyIssueAndPaySummary {
  const { runtime, ledger } = ctx.core;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    billingIssueToken: input.string(ctx.body.billingIssueToken, 'billingIssueToken'),
    paymentId: input.optString(ctx.body.paymentId, 'paymentId'),
    currency: input.optString(ctx.body.currency, 'currency'),
    totalAmount: input.optInteger(ctx.body.totalAmount, 'totalAmount', { min: 0 }),
    taxFreeAmount: input.optInteger(ctx.body.taxFreeAmount, 'taxFreeAmount', { min: 0 }),
    isTest: input.optBoolean(ctx.body.isTest, 'isTest'),
  }));
  runtime.checkStore(body.storeId);
  const entry = findByIssueToken(ctx, body.billingIssueToken);
  const payment = entry.paymentId ? runtime.state.payments.get(entry.paymentId) : undefined;
  if (payment) requireWaiting(entry);
  if (payment && entry.status !== 'READY') throw new ApiError('BILLING_KEY_ALREADY_ISSUED', `Billing key ${entry.billingKey} is already ${entry.status} (payment ${payment.payment.id} is ${payment.payment.status}).`);
  if (!payment || !payment.pendingConfirm) throw new ApiError('INVALID_REQUEST', 'This billingIssueToken belongs to a billing-key-only window; confirm it with /billing-keys/confirm.');
  const p = payment.payment;
  const mismatches = [
    body.paymentId !== undefined && body.paymentId !== p.id ? `paymentId ${body.paymentId} ≠ ${p.id}` : undefined,
    body.currency !== undefined && body.currency !== p.currency ? `currency ${body.currency} ≠ ${p.currency}` : undefined,
    body.totalAmount !== undefined && body.totalAmount !== p.amount.total ? `totalAmount ${body.totalAmount} ≠ ${p.amount.total}` : undefined,
    body.taxFreeAmount !== undefined && body.taxFreeAmount !== p.amount.taxFree ? `taxFreeAmount ${body.taxFreeAmount} ≠ ${p.amount.taxFree}` : undefined,
  ].filter(Boolean);
  if (mismatches.length > 0) throw new ApiError('INFORMATION_MISMATCH', `The confirmation does not match the payment: ${mismatches.join('; ')}.`);
  const method = payment.pendingConfirm.method;
  confirmIssue(ctx, entry, body.isTest, payment);
  delete payment.pendingConfirm;
  ledger.markPaid(payment, method);
  return { billingKey: entry.billingKey, paymentId: p.id };
}

// The checkout server behind the simulated KG Inicis window: `prepare` validates a browser SDK
// request like PortOne's checkout server and opens a transaction (READY payment or billing key);
// `complete` applies how the shopper ended the window — approve, decline or cancel — and returns
// the SDK's exact response (and, in redirect mode, the redirect URL with the result query).
import type { PaymentProduct } from '@portone/server-sdk/common';
import type { PaymentMethod } from '@portone/server-sdk/payment';
import type { BillingKeyPaymentMethod, IssuedBillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { IssueBillingKeyAndPayResponse, IssueBillingKeyResponse, PaymentResponse } from '../../client/portone-types.js';
import { randomBytes } from 'node:crypto';
import { SHOPPER_CANCEL_MESSAGE, SHOPPER_CANCEL_MESSAGE_EN, declineFor, type Decline } from '../catalog.js';
import type { SandboxCore } from '../core/core.js';
import type { WebhookEmitter } from '../core/emitter.js';
import type { Ledger } from '../core/ledger.js';
import type { Runtime } from '../core/runtime.js';
import type { BillingKeyEntry, PaymentEntry } from '../core/state.js';
import { inicisTid, iso, newBillingKey, uuidv7 } from '../ids.js';
import { describe, isObject } from '../input.js';
import { SETTLED_STATUSES, selectedChannel } from '../payments.js';
import type { SandboxChannel, SandboxOutcome } from '../types.js';
import { approval, readOutcome, responseCustomer } from './approval.js';
import { IdentityCheckout } from './identity.js';
import { readIdentityOutcome } from '../identity/rules.js';
import type { SandboxIdentityOutcome } from '../identity/types.js';
import {
  isMobileUserAgent,
  windowPath,
  withResultQuery,
  type CompleteAnswer,
  type PrepareAnswer,
  type TransactionKind,
  type WindowOutcome,
  type WindowResponse,
} from './protocol.js';
import { CheckoutRejection, normalizeIssueBillingKey, normalizeIssueBillingKeyAndPay, normalizePayment } from './rules.js';
import type { CheckoutTx } from './transaction.js';

export const NEEDS_CONFIRMATION = 'NEEDS_CONFIRMATION';

const NORMALIZE = {
  PAYMENT: normalizePayment,
  ISSUE_BILLING_KEY: normalizeIssueBillingKey,
  ISSUE_BILLING_KEY_AND_PAY: normalizeIssueBillingKeyAndPay,
} as const;

const KINDS: readonly TransactionKind[] = ['PAYMENT', 'ISSUE_BILLING_KEY', 'ISSUE_BILLING_KEY_AND_PAY', 'IDENTITY_VERIFICATION'];

export class Checkout {
  private readonly runtime: Runtime;
  private readonly ledger: Ledger;
  private readonly emitter: WebhookEmitter;
  /** Windows whose confirm process is under way (in memory: a restart forgets them with their requests). */
  private readonly completing = new Set<string>();
  /** Identity verification windows (KG Inicis 통합인증). */
  private readonly identity: IdentityCheckout;

  constructor(core: SandboxCore) {
    this.runtime = core.runtime;
    this.ledger = core.ledger;
    this.emitter = core.emitter;
    this.identity = new IdentityCheckout(core);
  }

  transaction(txId: string): CheckoutTx | undefined {
    return this.runtime.state.checkouts.get(txId);
  }

  channelOf(tx: CheckoutTx): SandboxChannel | undefined {
    return this.runtime.channel(tx.channelKey);
  }

  prepare(body: unknown): { tx: CheckoutTx; answer: PrepareAnswer } {
    const { kind, request: raw, client } = readPrepareBody(body);
    const device = isMobileUserAgent(client.userAgent) ? 'mobile' : 'pc';
    // readPrepareBody checked the scripted outcome as this kind's.
    if (kind === 'IDENTITY_VERIFICATION') return this.identity.prepare(raw, client as { userAgent: string; origin?: string; outcome?: SandboxIdentityOutcome }, device);
    const request = NORMALIZE[kind](raw, device);
    if (request.storeId !== this.runtime.storeId) {
      throw new CheckoutRejection('StoreNotFound', `상점을 찾을 수 없습니다. (storeId ${JSON.stringify(request.storeId)} is not this sandbox's store ${this.runtime.storeId})`);
    }
    const channel = this.runtime.paymentChannel(request.channelKey);
    if (!channel) {
      const other = this.runtime.channel(request.channelKey);
      throw new CheckoutRejection('ChannelNotFound', request.channelKey
        ? `채널을 찾을 수 없습니다. (channelKey ${JSON.stringify(request.channelKey)} is ${other ? `an ${other.pgProvider} identity verification channel, not a payment channel` : 'not a channel'} of store ${this.runtime.storeId})`
        : `채널 그룹을 찾을 수 없습니다. (channelGroupId ${JSON.stringify(request.channelGroupId)}: the sandbox has no channel groups; pass channelKey)`);
    }
    const txId = uuidv7(this.runtime.now());
    const tx: CheckoutTx = {
      txId,
      kind,
      status: 'OPEN',
      createdAt: this.runtime.now(),
      ...(client.origin ? { clientOrigin: client.origin } : {}),
      request,
      channelKey: channel.key,
      manualApproval: channel.manualApproval === true,
    };

    if (request.paymentId !== undefined) {
      const rejectWith = (code: string, message: string) => Object.assign(new CheckoutRejection(code, message), { paymentId: request.paymentId, txId });
      const existing = this.runtime.state.payments.get(request.paymentId);
      if (existing && SETTLED_STATUSES.has(existing.payment.status)) {
        throw rejectWith('PaymentAlreadyPaid', `이미 결제된 paymentId입니다. (payment ${JSON.stringify(request.paymentId)} is ${existing.payment.status})`);
      }
      const pre = this.runtime.state.preRegistrations.get(request.paymentId);
      if (pre) {
        const mismatch = [
          pre.totalAmount !== undefined && pre.totalAmount !== request.totalAmount ? `totalAmount ${request.totalAmount} ≠ pre-registered ${pre.totalAmount}` : undefined,
          pre.taxFreeAmount !== undefined && pre.taxFreeAmount !== (request.taxFreeAmount ?? 0) ? `taxFreeAmount ${request.taxFreeAmount ?? 0} ≠ pre-registered ${pre.taxFreeAmount}` : undefined,
          pre.currency !== undefined && pre.currency !== request.currency ? `currency ${request.currency} ≠ pre-registered ${pre.currency}` : undefined,
        ].filter(Boolean);
        if (mismatch.length > 0) throw rejectWith('AmountNotEqualToPredefined', `사전 등록된 결제 정보와 일치하지 않습니다. (${mismatch.join('; ')})`);
      }
    }

    if (kind !== 'PAYMENT') {
      const billingKey = newBillingKey(this.runtime.now());
      const entry: BillingKeyEntry = { billingKey, status: 'READY', origin: device, ...(request.noticeUrls ? { noticeUrls: request.noticeUrls } : {}), ...(request.paymentId ? { paymentId: request.paymentId } : {}) };
      this.runtime.state.billingKeys.set(billingKey, entry);
      tx.billingKey = billingKey;
      // Every state change has its webhook: the key is READY while its window (issue, or issue-and-pay) is open.
      this.emitter.emitBillingKey('BillingKey.Ready', entry);
    }
    if (request.paymentId !== undefined) {
      const entry = this.ledger.startAttempt(request.paymentId, {
        txId,
        channel,
        orderName: request.orderName!,
        total: request.totalAmount!,
        ...(request.taxFreeAmount !== undefined ? { taxFree: request.taxFreeAmount } : {}),
        ...(request.vatAmount !== undefined ? { vat: request.vatAmount } : {}),
        currency: request.currency!,
        customer: responseCustomer(request.customer),
        ...(request.customData !== undefined ? { customData: request.customData } : {}),
        ...(request.products ? { products: request.products as PaymentProduct[], productCount: request.products.reduce((n, p) => n + p.quantity, 0) } : {}),
        ...(request.country ? { country: request.country } : {}),
        ...(request.isCulturalExpense !== undefined ? { isCulturalExpense: request.isCulturalExpense } : {}),
        ...(request.isEscrow ? { isEscrow: true } : {}),
        ...(request.promotionId ? { promotionId: request.promotionId } : {}),
        ...(tx.billingKey ? { billingKey: tx.billingKey } : {}),
        ...(request.noticeUrls ? { noticeUrls: request.noticeUrls } : {}),
        origin: device,
      });
      this.emitter.emitPayment('Transaction.Ready', entry);
    }

    const outcome = (client.outcome as SandboxOutcome | undefined) ?? this.runtime.windowOutcomes.shift();
    if (outcome) tx.outcome = outcome;
    this.runtime.state.pruneCheckouts(this.runtime.now());
    this.runtime.state.checkouts.set(txId, tx);
    this.runtime.persist();
    return {
      tx,
      answer: {
        txId,
        windowUrl: windowPath(txId),
        mode: request.mode,
        ...(request.paymentId ? { paymentId: request.paymentId } : {}),
        ...(tx.billingKey ? { billingKey: tx.billingKey } : {}),
      },
    };
  }

  async complete(txId: string, given: unknown): Promise<CompleteAnswer> {
    const tx = this.runtime.state.checkouts.get(txId);
    if (!tx) throw new CheckoutRejection('TransactionNotFound', `결제창 거래를 찾을 수 없습니다. (txId ${JSON.stringify(txId)})`);
    if (tx.kind === 'IDENTITY_VERIFICATION') return this.identity.complete(tx, given);
    if (tx.status === 'DONE') throw new CheckoutRejection('InvalidEntityState', '이미 완료된 결제창입니다. (this window already ended)');
    if (this.completing.has(txId)) throw new CheckoutRejection('InvalidEntityState', '결제창이 이미 처리 중입니다. (this window is ending already: its confirm process is under way)');
    const result = (given as { result?: unknown } | null | undefined)?.result;
    if (typeof result !== 'string' || !['approve', 'decline', 'cancel'].includes(result)) {
      throw new CheckoutRejection('BadRequest', `\`action.result\`: expected approve, decline or cancel, got ${describe(result)}`);
    }
    const read = readOutcome(given);
    if ('problem' in read) throw new CheckoutRejection('BadRequest', `\`action\`: ${read.problem}`);
    const action = read.outcome;
    let effective = action;
    // KG Inicis refused the request inside its window: however the shopper leaves, that error is the result.
    if (tx.request.pgError && action.result !== 'decline') effective = { result: 'decline', ...tx.request.pgError };
    let response: WindowResponse;
    if (effective.result === 'approve') {
      const chosen = approval(tx, effective, { now: this.runtime.now(), storeName: this.runtime.storeName });
      if ('decline' in chosen) response = this.fail(tx, chosen.decline);
      else {
        const refused = await this.confirmProcess(tx);
        response = refused ?? this.approve(tx, chosen.method, effective);
      }
    } else if (effective.result === 'decline') {
      response = this.fail(tx, declineFor(tx.kind === 'ISSUE_BILLING_KEY' ? 'BILLING_KEY' : tx.request.payMethod ?? 'CARD', effective.pgCode, effective.pgMessage));
    } else {
      response = this.fail(tx, undefined);
    }
    tx.status = 'DONE';
    tx.completedAt = this.runtime.now();
    tx.response = response;
    if (tx.request.mode === 'REDIRECTION' && tx.request.redirectUrl) tx.redirectTo = withResultQuery(tx.request.redirectUrl, response);
    this.runtime.persist();
    return { response, ...(tx.redirectTo ? { redirectTo: tx.redirectTo } : {}) };
  }

  /**
   * With `confirmUrl`, the shop approves the payment first (PortOne's confirm process): undefined
   * when it did, else the window's result — FAILED with `ConfirmProcessFailed` and the shop's
   * message. The window stays open meanwhile and cannot be ended twice.
   */
  private async confirmProcess(tx: CheckoutTx): Promise<WindowResponse | undefined> {
    const confirmUrl = tx.request.confirmUrl;
    if (tx.kind !== 'PAYMENT' || !confirmUrl) return undefined;
    const entry = this.paymentEntry(tx);
    this.completing.add(tx.txId);
    let answer: Awaited<ReturnType<WebhookEmitter['confirm']>>;
    try {
      answer = await this.emitter.confirm(entry, confirmUrl);
    } finally {
      this.completing.delete(tx.txId);
    }
    // The shop answered after the window ended some other way (or a newer attempt replaced it).
    if (tx.status === 'DONE') throw new CheckoutRejection('InvalidEntityState', '이미 완료된 결제창입니다. (this window already ended)');
    if (answer.approved) return undefined;
    this.ledger.markFailed(this.paymentEntry(tx), { reason: answer.message });
    return { transactionType: 'PAYMENT', txId: tx.txId, paymentId: entry.payment.id, code: 'ConfirmProcessFailed', message: answer.message } satisfies PaymentResponse;
  }

  private paymentEntry(tx: CheckoutTx): PaymentEntry {
    const entry = this.runtime.state.payments.get(tx.request.paymentId!);
    if (!entry || entry.payment.transactionId !== tx.txId) {
      throw new CheckoutRejection('InvalidEntityState', `결제 ${tx.request.paymentId}에 더 최근의 결제 시도가 있습니다. (a newer window replaced this attempt)`);
    }
    return entry;
  }

  private approve(tx: CheckoutTx, method: PaymentMethod, action: Extract<SandboxOutcome, { result: 'approve' }>): WindowResponse {
    const token = () => randomBytes(24).toString('base64url');
    // A manual-approval token is good for this long: KG Inicis approves only soon after the window.
    const expiresAt = this.runtime.now() + this.runtime.manualApprovalTtlMs;
    if (tx.kind === 'PAYMENT') {
      const entry = this.paymentEntry(tx);
      const base = { transactionType: 'PAYMENT' as const, txId: tx.txId, paymentId: entry.payment.id };
      if (tx.manualApproval) {
        const paymentToken = token();
        entry.pendingConfirm = { paymentToken, txId: tx.txId, method, isVirtualAccount: method.type === 'PaymentMethodVirtualAccount', expiresAt };
        this.ledger.update(entry, { ...entry.payment, method } as typeof entry.payment);
        return { ...base, paymentToken } satisfies PaymentResponse;
      }
      if (method.type === 'PaymentMethodVirtualAccount') this.ledger.issueVirtualAccount(entry, method);
      else this.ledger.markPaid(entry, method);
      return base satisfies PaymentResponse;
    }

    const keyEntry = this.runtime.state.billingKeys.get(tx.billingKey!)!;
    const channel = selectedChannel(this.channelOf(tx)!);
    const at = this.runtime.now();
    const keyMethod: BillingKeyPaymentMethod =
      method.type === 'PaymentMethodMobile'
        ? { type: 'BillingKeyPaymentMethodMobile', ...(method.phoneNumber ? { phoneNumber: method.phoneNumber } : {}) }
        : { type: 'BillingKeyPaymentMethodCard', ...(method.type === 'PaymentMethodCard' && method.card ? { card: method.card } : {}) };
    const info: IssuedBillingKeyInfo = {
      status: 'ISSUED',
      billingKey: keyEntry.billingKey,
      merchantId: this.runtime.credentials.merchantId,
      storeId: this.runtime.storeId,
      methods: [keyMethod],
      channels: [channel],
      customer: responseCustomer(tx.request.customer),
      ...(tx.request.customData !== undefined ? { customData: tx.request.customData } : {}),
      ...(tx.request.issueId ? { issueId: tx.request.issueId } : {}),
      ...(tx.request.issueName ? { issueName: tx.request.issueName } : {}),
      requestedAt: iso(tx.createdAt),
      issuedAt: iso(at),
      pgBillingKeyIssueResponses: [{ type: 'ISSUED', channel, pgTxId: inicisTid('BillingKey', channel.pgMerchantId, at, tx.request.device), method: keyMethod }],
    };
    keyEntry.info = info;
    if (action.cardNumber) keyEntry.cardNumber = action.cardNumber;

    if (tx.kind === 'ISSUE_BILLING_KEY') {
      if (tx.manualApproval) {
        keyEntry.billingIssueToken = token();
        keyEntry.billingIssueTokenExpiresAt = expiresAt;
        this.runtime.persist();
        return { transactionType: 'ISSUE_BILLING_KEY', billingKey: NEEDS_CONFIRMATION, billingIssueToken: keyEntry.billingIssueToken } satisfies IssueBillingKeyResponse;
      }
      keyEntry.status = 'ISSUED';
      this.emitter.emitBillingKey('BillingKey.Issued', keyEntry);
      this.runtime.persist();
      return { transactionType: 'ISSUE_BILLING_KEY', billingKey: keyEntry.billingKey } satisfies IssueBillingKeyResponse;
    }

    const entry = this.paymentEntry(tx);
    if (tx.manualApproval) {
      keyEntry.billingIssueToken = token();
      keyEntry.billingIssueTokenExpiresAt = expiresAt;
      entry.pendingConfirm = { paymentToken: keyEntry.billingIssueToken, txId: tx.txId, method, isVirtualAccount: false, expiresAt };
      this.ledger.update(entry, { ...entry.payment, method } as typeof entry.payment);
      return {
        transactionType: 'ISSUE_BILLING_KEY_AND_PAY',
        billingKey: NEEDS_CONFIRMATION,
        billingIssueToken: keyEntry.billingIssueToken,
        paymentId: entry.payment.id,
        txId: NEEDS_CONFIRMATION,
      } satisfies IssueBillingKeyAndPayResponse;
    }
    keyEntry.status = 'ISSUED';
    this.emitter.emitBillingKey('BillingKey.Issued', keyEntry);
    this.ledger.markPaid(entry, method);
    return { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', billingKey: keyEntry.billingKey, paymentId: entry.payment.id, txId: tx.txId } satisfies IssueBillingKeyAndPayResponse;
  }

  /** A decline (PG code and message) or, with no decline, the shopper's cancel. */
  private fail(tx: CheckoutTx, decline: Decline | undefined): WindowResponse {
    const cancelMessage = tx.request.locale === 'en' ? SHOPPER_CANCEL_MESSAGE_EN : SHOPPER_CANCEL_MESSAGE;
    const failure = decline
      ? { code: 'FAILURE_TYPE_PG', message: `[${decline.pgCode}] ${decline.pgMessage}`, pgCode: decline.pgCode, pgMessage: decline.pgMessage }
      : { code: 'FAILURE_TYPE_PG', message: cancelMessage };
    const reason = { reason: decline?.pgMessage ?? cancelMessage, ...(decline ? { pgCode: decline.pgCode, pgMessage: decline.pgMessage } : {}) };
    if (tx.billingKey) {
      const keyEntry = this.runtime.state.billingKeys.get(tx.billingKey)!;
      keyEntry.status = 'FAILED';
      this.emitter.emitBillingKey('BillingKey.Failed', keyEntry);
    }
    if (tx.kind === 'ISSUE_BILLING_KEY') {
      this.runtime.persist();
      return { transactionType: 'ISSUE_BILLING_KEY', billingKey: tx.billingKey!, ...failure } satisfies IssueBillingKeyResponse;
    }
    const entry = this.paymentEntry(tx);
    this.ledger.markFailed(entry, reason);
    if (tx.kind === 'PAYMENT') return { transactionType: 'PAYMENT', txId: tx.txId, paymentId: entry.payment.id, ...failure } satisfies PaymentResponse;
    return { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', billingKey: tx.billingKey!, paymentId: entry.payment.id, txId: tx.txId, ...failure } satisfies IssueBillingKeyAndPayResponse;
  }
}

const bad = (message: string) => new CheckoutRejection('BadRequest', message);
/** An origin as `location.origin` gives it for an http(s) page. */
const ORIGIN = /^https?:\/\/[^/?#\s]+$/;

/** `POST /checkout/prepare`'s body, checked: a known transaction type, the request, the client's details. */
function readPrepareBody(body: unknown): { kind: TransactionKind; request: unknown; client: { userAgent: string; origin?: string; outcome?: WindowOutcome } } {
  if (!isObject(body)) throw bad(`The prepare body must be an object like { transactionType, request, client }, got ${describe(body)}`);
  const kind = body.transactionType;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    throw bad(`Unknown transactionType ${describe(kind)}: expected ${KINDS.join(', ')}`);
  }
  const client = body.client ?? {};
  if (!isObject(client)) throw bad(`\`client\`: expected an object like { userAgent, origin }, got ${describe(client)}`);
  const { userAgent = '', origin, outcome } = client;
  if (typeof userAgent !== 'string') throw bad(`\`client.userAgent\`: expected a string, got ${describe(userAgent)}`);
  // A page on file:// reports its origin as "null": the window then cannot name who may frame it.
  if (origin !== undefined && origin !== 'null' && (typeof origin !== 'string' || !ORIGIN.test(origin))) {
    throw bad(`\`client.origin\`: expected the page's origin such as https://shop.example, got ${describe(origin)}`);
  }
  let scripted: WindowOutcome | undefined;
  if (outcome !== undefined && outcome !== null) {
    const read = kind === 'IDENTITY_VERIFICATION' ? readIdentityOutcome(outcome) : readOutcome(outcome);
    if ('problem' in read) throw bad(`The scripted sandbox outcome is not valid: ${read.problem}`);
    scripted = read.outcome;
  }
  return {
    kind: kind as TransactionKind,
    request: body.request,
    client: { userAgent, ...(typeof origin === 'string' && origin !== 'null' ? { origin } : {}), ...(scripted ? { outcome: scripted } : {}) },
  };
}

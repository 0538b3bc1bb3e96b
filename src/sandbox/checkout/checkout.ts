// The checkout server behind the simulated KG Inicis window: `prepare` validates a browser SDK
// request like PortOne's checkout server and opens a transaction (READY payment or billing key);
// `complete` applies how the shopper ended the window — approve, decline or cancel — and returns
// the SDK's exact response (and, in redirect mode, the redirect URL with the result query).
import type { Customer, PaymentProduct } from '@portone/server-sdk/common';
import type {
  PaymentMethod,
  PaymentMethodEasyPay,
  PaymentMethodVirtualAccount,
} from '@portone/server-sdk/payment';
import type { BillingKeyPaymentMethod, IssuedBillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { IssueBillingKeyAndPayResponse, IssueBillingKeyResponse, PaymentResponse } from '@portone/browser-sdk/v2';
import { randomBytes } from 'node:crypto';
import {
  BANKS,
  CARRIERS,
  EASY_PAY_PROVIDERS,
  GIFT_CERTIFICATE_TYPES,
  SHOPPER_CANCEL_MESSAGE,
  SHOPPER_CANCEL_MESSAGE_EN,
  TEST_CARDS,
  CARD_COMPANIES,
  cardCompany,
  declineFor,
  type Decline,
} from '../catalog.js';
import { approvalNumber, cardFields, DEFAULT_VIRTUAL_ACCOUNT_VALID_MS, type SandboxCore } from '../core.js';
import { digits, inicisTid, iso, uuidv7 } from '../ids.js';
import { selectedChannel } from '../payments.js';
import { newBillingKey } from '../rest/billing-keys.js';
import type { BillingKeyEntry, PaymentEntry } from '../state.js';
import type { SandboxChannel, SandboxOutcome } from '../types.js';
import {
  isMobileUserAgent,
  windowPath,
  withResultQuery,
  type CompleteAnswer,
  type PrepareAnswer,
  type PrepareBody,
  type TransactionKind,
  type WindowResponse,
} from './protocol.js';
import {
  CheckoutRejection,
  normalizeIssueBillingKey,
  normalizeIssueBillingKeyAndPay,
  normalizePayment,
  type CheckoutCustomer,
  type NormalizedCheckout,
} from './rules.js';

/** One opened window. JSON-able: it is persisted with the rest of the state. */
export interface CheckoutTx {
  txId: string;
  kind: TransactionKind;
  status: 'OPEN' | 'DONE';
  createdAt: number;
  /** Sandbox time the window ended (pruning keeps finished windows an hour). */
  completedAt?: number;
  clientOrigin?: string;
  request: NormalizedCheckout;
  channelKey: string;
  manualApproval: boolean;
  /** Scripted ending (page attribute / query flag, or the sandbox's queue). */
  outcome?: SandboxOutcome;
  billingKey?: string;
  response?: WindowResponse;
  redirectTo?: string;
}

export const NEEDS_CONFIRMATION = 'NEEDS_CONFIRMATION';
const PAID_STATUSES = new Set(['PAID', 'PARTIAL_CANCELLED', 'CANCELLED', 'VIRTUAL_ACCOUNT_ISSUED', 'PAY_PENDING']);

const NORMALIZE = {
  PAYMENT: normalizePayment,
  ISSUE_BILLING_KEY: normalizeIssueBillingKey,
  ISSUE_BILLING_KEY_AND_PAY: normalizeIssueBillingKeyAndPay,
} as const;

export function responseCustomer(c: CheckoutCustomer): Customer {
  const name = c.fullName ?? (c.lastName && c.firstName ? `${c.lastName} ${c.firstName}` : undefined);
  return {
    ...(c.customerId ? { id: c.customerId } : {}),
    ...(name ? { name } : {}),
    ...(c.email ? { email: c.email } : {}),
    ...(c.phoneNumber ? { phoneNumber: c.phoneNumber } : {}),
    ...(c.zipcode ? { zipcode: c.zipcode } : {}),
    ...(c.birthYear ? { birthYear: c.birthYear } : {}),
    ...(c.birthMonth ? { birthMonth: c.birthMonth } : {}),
    ...(c.birthDay ? { birthDay: c.birthDay } : {}),
    ...(c.gender === 'MALE' || c.gender === 'FEMALE' || c.gender === 'OTHER' ? { gender: c.gender } : {}),
  };
}

type Approval = { method: PaymentMethod } | { decline: Decline };

/**
 * What is wrong with a scripted outcome's fields, checked before a window opens (a Node helper or
 * `nextOutcome`), so a typo fails the call instead of leaving a READY payment behind.
 */
export function outcomeProblem(outcome: SandboxOutcome): string | undefined {
  if (outcome.result === 'decline') {
    if (outcome.pgCode !== undefined && (typeof outcome.pgCode !== 'string' || outcome.pgCode === '')) return `\`pgCode\`: expected a non-empty string, got ${JSON.stringify(outcome.pgCode)}`;
    if (outcome.pgMessage !== undefined && typeof outcome.pgMessage !== 'string') return `\`pgMessage\`: expected a string, got ${JSON.stringify(outcome.pgMessage)}`;
    return undefined;
  }
  if (outcome.result !== 'approve') return undefined;
  const { cardCompany: card, bank, carrier, installmentMonth, easyPayProvider, giftCertificateType, cardType, cardNumber } = outcome;
  if (card !== undefined && !cardCompany(card)) return `\`cardCompany\`: expected a KG Inicis card code (${CARD_COMPANIES.map((c) => c.code).join(', ')}), got ${JSON.stringify(card)}`;
  if (bank !== undefined && !BANKS.some((b) => b.code === bank)) return `\`bank\`: expected a REST Bank value (KOOKMIN, SHINHAN, KDB, …), got ${JSON.stringify(bank)}`;
  if (carrier !== undefined && !CARRIERS.some((c) => c.code === carrier)) return `\`carrier\`: expected one of ${CARRIERS.map((c) => c.code).join(', ')}, got ${JSON.stringify(carrier)}`;
  if (installmentMonth !== undefined && !(Number.isInteger(installmentMonth) && installmentMonth >= 0 && installmentMonth <= 36)) return `\`installmentMonth\`: expected 0 to 36, got ${JSON.stringify(installmentMonth)}`;
  if (easyPayProvider !== undefined && !(EASY_PAY_PROVIDERS as readonly string[]).includes(easyPayProvider)) return `\`easyPayProvider\`: KG Inicis offers ${EASY_PAY_PROVIDERS.join(', ')}, got ${JSON.stringify(easyPayProvider)}`;
  if (giftCertificateType !== undefined && !(GIFT_CERTIFICATE_TYPES as readonly string[]).includes(giftCertificateType)) return `\`giftCertificateType\`: expected one of ${GIFT_CERTIFICATE_TYPES.join(', ')}, got ${JSON.stringify(giftCertificateType)}`;
  if (cardType !== undefined && cardType !== 'PERSONAL' && cardType !== 'CORPORATE') return `\`cardType\`: expected PERSONAL or CORPORATE, got ${JSON.stringify(cardType)}`;
  if (cardNumber !== undefined && !/^\d{13,19}$/.test(cardNumber)) return `\`cardNumber\`: expected 13 to 19 digits, got ${JSON.stringify(cardNumber)}`;
  return undefined;
}

export class Checkout {
  constructor(private readonly core: SandboxCore) {}

  transaction(txId: string): CheckoutTx | undefined {
    return this.core.state.checkouts.get(txId);
  }

  channelOf(tx: CheckoutTx): SandboxChannel | undefined {
    return this.core.channel(tx.channelKey);
  }

  prepare(body: PrepareBody): { tx: CheckoutTx; answer: PrepareAnswer } {
    const { core } = this;
    const kind = body.transactionType;
    const normalize = NORMALIZE[kind];
    if (!normalize) throw new CheckoutRejection('BadRequest', `Unknown transactionType ${JSON.stringify(kind)}`);
    const scripted = body.client?.outcome;
    const problem = scripted && outcomeProblem(scripted);
    if (problem) throw new CheckoutRejection('BadRequest', `The scripted sandbox outcome is not valid: ${problem}`);
    const device = isMobileUserAgent(body.client?.userAgent ?? '') ? 'mobile' : 'pc';
    const request = normalize(body.request, device);
    if (request.storeId !== core.storeId) {
      throw new CheckoutRejection('StoreNotFound', `상점을 찾을 수 없습니다. (storeId ${JSON.stringify(request.storeId)} is not this sandbox's store ${core.storeId})`);
    }
    const channel = core.channel(request.channelKey);
    if (!channel) {
      throw new CheckoutRejection('ChannelNotFound', request.channelKey
        ? `채널을 찾을 수 없습니다. (channelKey ${JSON.stringify(request.channelKey)} is not a channel of store ${core.storeId})`
        : `채널 그룹을 찾을 수 없습니다. (channelGroupId ${JSON.stringify(request.channelGroupId)}: the sandbox has no channel groups; pass channelKey)`);
    }
    const txId = uuidv7(core.now());
    const tx: CheckoutTx = {
      txId,
      kind,
      status: 'OPEN',
      createdAt: core.now(),
      ...(body.client?.origin ? { clientOrigin: body.client.origin } : {}),
      request,
      channelKey: channel.key,
      manualApproval: channel.manualApproval === true,
    };

    if (request.paymentId !== undefined) {
      const rejectWith = (code: string, message: string) => Object.assign(new CheckoutRejection(code, message), { paymentId: request.paymentId, txId });
      const existing = core.state.payments.get(request.paymentId);
      if (existing && PAID_STATUSES.has(existing.payment.status)) {
        throw rejectWith('PaymentAlreadyPaid', `이미 결제된 paymentId입니다. (payment ${JSON.stringify(request.paymentId)} is ${existing.payment.status})`);
      }
      const pre = core.state.preRegistrations.get(request.paymentId);
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
      const billingKey = newBillingKey(core.now());
      const entry: BillingKeyEntry = { billingKey, status: 'READY', ...(request.noticeUrls ? { noticeUrls: request.noticeUrls } : {}), ...(request.paymentId ? { paymentId: request.paymentId } : {}) };
      core.state.billingKeys.set(billingKey, entry);
      tx.billingKey = billingKey;
      // Every state change has its webhook: the key is READY while its window (issue, or issue-and-pay) is open.
      core.emitBillingKey('BillingKey.Ready', entry);
    }
    if (request.paymentId !== undefined) {
      const entry = core.startAttempt(request.paymentId, {
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
      core.emitPayment('Transaction.Ready', entry);
    }

    const outcome = body.client?.outcome ?? core.windowOutcomes.shift();
    if (outcome) tx.outcome = outcome;
    core.state.pruneCheckouts(core.now());
    core.state.checkouts.set(txId, tx);
    core.persist();
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

  complete(txId: string, action: SandboxOutcome): CompleteAnswer {
    const tx = this.core.state.checkouts.get(txId);
    if (!tx) throw new CheckoutRejection('TransactionNotFound', `결제창 거래를 찾을 수 없습니다. (txId ${JSON.stringify(txId)})`);
    if (tx.status === 'DONE') throw new CheckoutRejection('InvalidEntityState', '이미 완료된 결제창입니다. (this window already ended)');
    if (!action || !['approve', 'decline', 'cancel'].includes(action.result)) {
      throw new CheckoutRejection('BadRequest', `\`action.result\`: expected approve, decline or cancel, got ${JSON.stringify(action?.result)}`);
    }
    let effective = action;
    // KG Inicis refused the request inside its window: however the shopper leaves, that error is the result.
    if (tx.request.pgError && action.result !== 'decline') effective = { result: 'decline', ...tx.request.pgError };
    let response: WindowResponse;
    if (effective.result === 'approve') {
      const approval = this.approval(tx, effective);
      response = 'decline' in approval ? this.fail(tx, approval.decline) : this.approve(tx, approval.method, effective);
    } else if (effective.result === 'decline') {
      response = this.fail(tx, declineFor(tx.kind === 'ISSUE_BILLING_KEY' ? 'BILLING_KEY' : tx.request.payMethod ?? 'CARD', effective.pgCode, effective.pgMessage));
    } else {
      response = this.fail(tx, undefined);
    }
    tx.status = 'DONE';
    tx.completedAt = this.core.now();
    tx.response = response;
    if (tx.request.mode === 'REDIRECTION' && tx.request.redirectUrl) tx.redirectTo = withResultQuery(tx.request.redirectUrl, response);
    this.core.persist();
    return { response, ...(tx.redirectTo ? { redirectTo: tx.redirectTo } : {}) };
  }

  /** The payment method the window's choices amount to, or the PG refusing them. */
  private approval(tx: CheckoutTx, action: Extract<SandboxOutcome, { result: 'approve' }>): Approval {
    const { request } = tx;
    const config = request.window;
    const bad = (message: string) => new CheckoutRejection('BadRequest', message);
    if (tx.kind === 'ISSUE_BILLING_KEY') {
      const ownerType = action.cardType ?? (config.cardUse === 'cocard' ? 'CORPORATE' : 'PERSONAL');
      if (config.cardUse === 'percard' && ownerType === 'CORPORATE') return { decline: { pgCode: 'B021', pgMessage: '개인카드만 등록할 수 있습니다. (carduse=percard)' } };
      if (config.cardUse === 'cocard' && ownerType === 'PERSONAL') return { decline: { pgCode: 'B022', pgMessage: '법인카드만 등록할 수 있습니다. (carduse=cocard)' } };
      const company = cardCompany(action.cardCompany ?? '11');
      if (!company) throw bad(`\`cardCompany\`: unknown KG Inicis card code ${JSON.stringify(action.cardCompany)}`);
      const test = action.cardNumber ? TEST_CARDS[action.cardNumber] : undefined;
      if (test?.when === 'issue') return { decline: test.decline };
      return { method: { type: 'PaymentMethodCard', card: cardFields(company, ownerType, action.cardNumber?.slice(-4)) } };
    }
    const method = request.payMethod!;
    if (method === 'MOBILE') {
      const carrier = action.carrier ?? 'SKT';
      if (!CARRIERS.some((c) => c.code === carrier)) throw bad(`\`carrier\`: expected one of ${CARRIERS.map((c) => c.code).join(', ')}, got ${JSON.stringify(carrier)}`);
      const phoneNumber = action.phoneNumber ?? request.customer.phoneNumber ?? '010-0000-0000';
      return { method: { type: 'PaymentMethodMobile', phoneNumber } };
    }
    if (method === 'TRANSFER' || method === 'VIRTUAL_ACCOUNT') {
      const bank = action.bank ?? (method === 'TRANSFER' ? 'KOOKMIN' : 'SHINHAN');
      if (!BANKS.some((b) => b.code === bank)) throw bad(`\`bank\`: expected one of ${BANKS.map((b) => b.code).join(', ')}, got ${JSON.stringify(bank)}`);
      if (method === 'TRANSFER') return { method: { type: 'PaymentMethodTransfer', bank, accountNumber: `${digits(3)}****${digits(4)}` } };
      const now = this.core.now();
      const expiry = request.accountExpiry;
      const expiresAt = !expiry ? now + DEFAULT_VIRTUAL_ACCOUNT_VALID_MS : 'validHours' in expiry ? now + expiry.validHours * 3_600_000 : expiry.dueDate;
      if (expiresAt <= now) return { decline: { pgCode: 'A103', pgMessage: '입금 기한이 현재 시각보다 이전입니다.' } };
      const va: PaymentMethodVirtualAccount = {
        type: 'PaymentMethodVirtualAccount',
        bank,
        accountNumber: `${digits(3)}${digits(3)}${digits(6)}`,
        accountType: 'NORMAL',
        remitteeName: this.core.storeName,
        ...(responseCustomer(request.customer).name ? { remitterName: responseCustomer(request.customer).name! } : {}),
        expiredAt: iso(expiresAt),
        issuedAt: iso(now),
      };
      return { method: va };
    }
    if (method === 'GIFT_CERTIFICATE') {
      const giftCertificateType = action.giftCertificateType ?? request.giftCertificateType ?? 'CULTURELAND';
      if (!(GIFT_CERTIFICATE_TYPES as readonly string[]).includes(giftCertificateType)) throw bad(`\`giftCertificateType\`: expected one of ${GIFT_CERTIFICATE_TYPES.join(', ')}, got ${JSON.stringify(giftCertificateType)}`);
      return { method: { type: 'PaymentMethodGiftCertificate', giftCertificateType, approvalNumber: approvalNumber() } };
    }
    const company = cardCompany(config.cardLocked ? config.preselectedCard : action.cardCompany ?? config.preselectedCard ?? '11');
    if (!company) throw bad(`\`cardCompany\`: unknown KG Inicis card code ${JSON.stringify(action.cardCompany)}`);
    const installmentMonth = action.installmentMonth ?? config.fixedInstallment ?? 0;
    if (!Number.isInteger(installmentMonth) || installmentMonth < 0 || installmentMonth > 36) throw bad(`\`installmentMonth\`: expected 0 to 36, got ${JSON.stringify(action.installmentMonth)}`);
    if (installmentMonth > 1 && request.currency === 'KRW' && request.totalAmount! < 50_000) {
      return { decline: { pgCode: 'V110', pgMessage: '5만원 미만 결제는 할부를 이용할 수 없습니다.' } };
    }
    const cardMethod: PaymentMethod = {
      type: 'PaymentMethodCard',
      card: cardFields(company, action.cardType ?? 'PERSONAL'),
      approvalNumber: approvalNumber(),
      installment: { month: installmentMonth, isInterestFree: false },
      pointUsed: false,
    };
    const provider = method === 'EASY_PAY' ? config.easyPayProvider ?? action.easyPayProvider ?? 'KAKAOPAY' : action.easyPayProvider;
    if (provider === undefined) return { method: cardMethod };
    if (method === 'CARD' && config.noEasyPay) return { decline: { pgCode: 'E002', pgMessage: '이 결제창에서는 간편결제를 사용할 수 없습니다. (noeasypay)' } };
    if (!(EASY_PAY_PROVIDERS as readonly string[]).includes(provider)) throw bad(`\`easyPayProvider\`: KG Inicis offers ${EASY_PAY_PROVIDERS.join(', ')}, got ${JSON.stringify(provider)}`);
    const easyPay: PaymentMethodEasyPay = { type: 'PaymentMethodEasyPay', provider, easyPayMethod: cardMethod as PaymentMethodEasyPay['easyPayMethod'] & object };
    return { method: easyPay };
  }

  private paymentEntry(tx: CheckoutTx): PaymentEntry {
    const entry = this.core.state.payments.get(tx.request.paymentId!);
    if (!entry || entry.payment.transactionId !== tx.txId) {
      throw new CheckoutRejection('InvalidEntityState', `결제 ${tx.request.paymentId}에 더 최근의 결제 시도가 있습니다. (a newer window replaced this attempt)`);
    }
    return entry;
  }

  private approve(tx: CheckoutTx, method: PaymentMethod, action: Extract<SandboxOutcome, { result: 'approve' }>): WindowResponse {
    const { core } = this;
    const token = () => randomBytes(24).toString('base64url');
    if (tx.kind === 'PAYMENT') {
      const entry = this.paymentEntry(tx);
      const base = { transactionType: 'PAYMENT' as const, txId: tx.txId, paymentId: entry.payment.id };
      if (tx.manualApproval) {
        const paymentToken = token();
        entry.pendingConfirm = { paymentToken, txId: tx.txId, method, isVirtualAccount: method.type === 'PaymentMethodVirtualAccount' };
        core.update(entry, { ...entry.payment, method } as typeof entry.payment);
        return { ...base, paymentToken } satisfies PaymentResponse;
      }
      if (method.type === 'PaymentMethodVirtualAccount') core.issueVirtualAccount(entry, method);
      else core.markPaid(entry, method);
      return base satisfies PaymentResponse;
    }

    const keyEntry = core.state.billingKeys.get(tx.billingKey!)!;
    const channel = selectedChannel(this.channelOf(tx)!);
    const at = core.now();
    const keyMethod: BillingKeyPaymentMethod =
      method.type === 'PaymentMethodMobile'
        ? { type: 'BillingKeyPaymentMethodMobile', ...(method.phoneNumber ? { phoneNumber: method.phoneNumber } : {}) }
        : { type: 'BillingKeyPaymentMethodCard', ...(method.type === 'PaymentMethodCard' && method.card ? { card: method.card } : {}) };
    const info: IssuedBillingKeyInfo = {
      status: 'ISSUED',
      billingKey: keyEntry.billingKey,
      merchantId: core.credentials.merchantId,
      storeId: core.storeId,
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
        core.persist();
        return { transactionType: 'ISSUE_BILLING_KEY', billingKey: NEEDS_CONFIRMATION, billingIssueToken: keyEntry.billingIssueToken } satisfies IssueBillingKeyResponse;
      }
      keyEntry.status = 'ISSUED';
      core.emitBillingKey('BillingKey.Issued', keyEntry);
      core.persist();
      return { transactionType: 'ISSUE_BILLING_KEY', billingKey: keyEntry.billingKey } satisfies IssueBillingKeyResponse;
    }

    const entry = this.paymentEntry(tx);
    if (tx.manualApproval) {
      keyEntry.billingIssueToken = token();
      entry.pendingConfirm = { paymentToken: keyEntry.billingIssueToken, txId: tx.txId, method, isVirtualAccount: false };
      core.update(entry, { ...entry.payment, method } as typeof entry.payment);
      return {
        transactionType: 'ISSUE_BILLING_KEY_AND_PAY',
        billingKey: NEEDS_CONFIRMATION,
        billingIssueToken: keyEntry.billingIssueToken,
        paymentId: entry.payment.id,
        txId: NEEDS_CONFIRMATION,
      } satisfies IssueBillingKeyAndPayResponse;
    }
    keyEntry.status = 'ISSUED';
    core.emitBillingKey('BillingKey.Issued', keyEntry);
    core.markPaid(entry, method);
    return { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', billingKey: keyEntry.billingKey, paymentId: entry.payment.id, txId: tx.txId } satisfies IssueBillingKeyAndPayResponse;
  }

  /** A decline (PG code and message) or, with no decline, the shopper's cancel. */
  private fail(tx: CheckoutTx, decline: Decline | undefined): WindowResponse {
    const { core } = this;
    const cancelMessage = tx.request.locale === 'en' ? SHOPPER_CANCEL_MESSAGE_EN : SHOPPER_CANCEL_MESSAGE;
    const failure = decline
      ? { code: 'FAILURE_TYPE_PG', message: `[${decline.pgCode}] ${decline.pgMessage}`, pgCode: decline.pgCode, pgMessage: decline.pgMessage }
      : { code: 'FAILURE_TYPE_PG', message: cancelMessage };
    const reason = { reason: decline?.pgMessage ?? cancelMessage, ...(decline ? { pgCode: decline.pgCode, pgMessage: decline.pgMessage } : {}) };
    if (tx.billingKey) {
      const keyEntry = core.state.billingKeys.get(tx.billingKey)!;
      keyEntry.status = 'FAILED';
      core.emitBillingKey('BillingKey.Failed', keyEntry);
    }
    if (tx.kind === 'ISSUE_BILLING_KEY') {
      core.persist();
      return { transactionType: 'ISSUE_BILLING_KEY', billingKey: tx.billingKey!, ...failure } satisfies IssueBillingKeyResponse;
    }
    const entry = this.paymentEntry(tx);
    core.markFailed(entry, reason);
    if (tx.kind === 'PAYMENT') return { transactionType: 'PAYMENT', txId: tx.txId, paymentId: entry.payment.id, ...failure } satisfies PaymentResponse;
    return { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', billingKey: tx.billingKey!, paymentId: entry.payment.id, txId: tx.txId, ...failure } satisfies IssueBillingKeyAndPayResponse;
  }
}

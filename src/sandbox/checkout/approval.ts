// The shopper's choices in the payment window: checking a scripted outcome before the window
// opens, what the choices amount to (the payment method KG Inicis reports, or its refusal), and
// the buyer as PortOne reports it.
import type { Customer } from '@portone/server-sdk/common';
import type { PaymentMethod, PaymentMethodEasyPay, PaymentMethodVirtualAccount } from '@portone/server-sdk/payment';
import {
  BANKS,
  CARD_COMPANIES,
  CARRIERS,
  EASY_PAY_PROVIDERS,
  GIFT_CERTIFICATE_TYPES,
  TEST_CARDS,
  cardCompany,
  cardFields,
  type Decline,
} from '../catalog.js';
import { approvalNumber, digits, iso } from '../ids.js';
import type { SandboxOutcome } from '../types.js';
import { CheckoutRejection, type CheckoutCustomer } from './rules.js';
import type { CheckoutTx } from './transaction.js';

/** Virtual accounts the window issues are valid this long unless the request says otherwise. */
export const DEFAULT_VIRTUAL_ACCOUNT_VALID_MS = 7 * 24 * 3_600_000;

export type Approval = { method: PaymentMethod } | { decline: Decline };

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

/** The payment method the window's choices amount to, or the PG refusing them. */
export function approval(tx: CheckoutTx, action: Extract<SandboxOutcome, { result: 'approve' }>, store: { now: number; storeName: string }): Approval {
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
    const { now } = store;
    const expiry = request.accountExpiry;
    const expiresAt = !expiry ? now + DEFAULT_VIRTUAL_ACCOUNT_VALID_MS : 'validHours' in expiry ? now + expiry.validHours * 3_600_000 : expiry.dueDate;
    if (expiresAt <= now) return { decline: { pgCode: 'A103', pgMessage: '입금 기한이 현재 시각보다 이전입니다.' } };
    const va: PaymentMethodVirtualAccount = {
      type: 'PaymentMethodVirtualAccount',
      bank,
      accountNumber: `${digits(3)}${digits(3)}${digits(6)}`,
      accountType: 'NORMAL',
      remitteeName: store.storeName,
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

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
import { describe } from '../input.js';
import type { SandboxOutcome } from '../types.js';
import { CheckoutRejection, type WindowCustomer } from './rules.js';
import type { CheckoutTx } from './transaction.js';

/** Virtual accounts the window issues are valid this long unless the request says otherwise. */
export const DEFAULT_VIRTUAL_ACCOUNT_VALID_MS = 7 * 24 * 3_600_000;

export type Approval = { method: PaymentMethod } | { decline: Decline };

export function responseCustomer(c: WindowCustomer): Customer {
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

const APPROVE_FIELDS = ['easyPayProvider', 'cardCompany', 'cardType', 'installmentMonth', 'bank', 'carrier', 'phoneNumber', 'giftCertificateType', 'cardNumber'] as const;
const DECLINE_FIELDS = ['pgCode', 'pgMessage'] as const;

/**
 * A scripted outcome (a Node helper, `nextOutcome`, a page's script, the window's buttons) checked
 * field by field and copied with only the fields an outcome has, or what is wrong with it. Checked
 * before a window opens, so a typo fails the call instead of leaving a READY payment behind.
 */
export function readOutcome(value: unknown, allowed: readonly SandboxOutcome['result'][] = ['approve', 'decline', 'cancel']): { outcome: SandboxOutcome } | { problem: string } {
  const expected = `{ result: ${allowed.map((r) => `'${r}'`).join(' | ')} }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `expected ${expected}, got ${describe(value)}` };
  const given = value as Record<string, unknown>;
  const result = given.result;
  if (typeof result !== 'string' || !(allowed as readonly string[]).includes(result)) return { problem: `expected ${expected}, got result ${describe(result)}` };
  const fields: readonly string[] = result === 'approve' ? APPROVE_FIELDS : result === 'decline' ? DECLINE_FIELDS : [];
  const unknown = Object.keys(given).filter((key) => key !== 'result' && !fields.includes(key));
  if (unknown.length > 0) return { problem: `a ${result} outcome has ${fields.length ? `only ${fields.join(', ')}` : 'no other fields'}, got ${unknown.map((k) => JSON.stringify(k)).join(', ')}` };
  const problem = result === 'decline' ? declineProblem(given) : result === 'approve' ? approveProblem(given) : undefined;
  if (problem) return { problem };
  const outcome: Record<string, unknown> = { result };
  for (const key of fields) if (given[key] !== undefined) outcome[key] = given[key];
  return { outcome: outcome as SandboxOutcome };
}

function declineProblem(outcome: Record<string, unknown>): string | undefined {
  const { pgCode, pgMessage } = outcome;
  if (pgCode !== undefined && (typeof pgCode !== 'string' || pgCode === '')) return `\`pgCode\`: expected a non-empty string, got ${describe(pgCode)}`;
  if (pgMessage !== undefined && typeof pgMessage !== 'string') return `\`pgMessage\`: expected a string, got ${describe(pgMessage)}`;
  return undefined;
}

function approveProblem(outcome: Record<string, unknown>): string | undefined {
  const { cardCompany: card, bank, carrier, installmentMonth, easyPayProvider, giftCertificateType, cardType, cardNumber, phoneNumber } = outcome;
  if (card !== undefined && (typeof card !== 'string' || !cardCompany(card))) return `\`cardCompany\`: expected a KG Inicis card code (${CARD_COMPANIES.map((c) => c.code).join(', ')}), got ${describe(card)}`;
  if (bank !== undefined && !BANKS.some((b) => b.code === bank)) return `\`bank\`: expected a REST Bank value (KOOKMIN, SHINHAN, KDB, …), got ${describe(bank)}`;
  if (carrier !== undefined && !CARRIERS.some((c) => c.code === carrier)) return `\`carrier\`: expected one of ${CARRIERS.map((c) => c.code).join(', ')}, got ${describe(carrier)}`;
  if (installmentMonth !== undefined && !(Number.isInteger(installmentMonth) && (installmentMonth as number) >= 0 && (installmentMonth as number) <= 36)) return `\`installmentMonth\`: expected 0 to 36, got ${describe(installmentMonth)}`;
  if (easyPayProvider !== undefined && !(EASY_PAY_PROVIDERS as readonly unknown[]).includes(easyPayProvider)) return `\`easyPayProvider\`: KG Inicis offers ${EASY_PAY_PROVIDERS.join(', ')}, got ${describe(easyPayProvider)}`;
  if (giftCertificateType !== undefined && !(GIFT_CERTIFICATE_TYPES as readonly unknown[]).includes(giftCertificateType)) return `\`giftCertificateType\`: expected one of ${GIFT_CERTIFICATE_TYPES.join(', ')}, got ${describe(giftCertificateType)}`;
  if (cardType !== undefined && cardType !== 'PERSONAL' && cardType !== 'CORPORATE') return `\`cardType\`: expected PERSONAL or CORPORATE, got ${describe(cardType)}`;
  if (cardNumber !== undefined && (typeof cardNumber !== 'string' || !/^\d{13,19}$/.test(cardNumber))) return `\`cardNumber\`: expected 13 to 19 digits, got ${describe(cardNumber)}`;
  if (phoneNumber !== undefined && (typeof phoneNumber !== 'string' || !/^[0-9+\- ]{7,20}$/.test(phoneNumber))) return `\`phoneNumber\`: expected a phone number (digits, +, - and spaces), got ${describe(phoneNumber)}`;
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

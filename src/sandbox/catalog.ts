// What the simulated KG Inicis knows: card companies (Inicis card codes, as used by
// `P_CARD_OPTION selcode=…`, `slimquota`, `mallpoint`), banks, carriers, easy-pay providers,
// PG-style decline codes, and the sandbox's test card numbers.
import type { Bank } from '@portone/server-sdk/common';
import type { CardBrand } from '@portone/server-sdk/common';

export interface CardCompany {
  /** KG Inicis card code. */
  code: string;
  ko: string;
  en: string;
  brand: CardBrand;
  /** First six digits of the masked number the window reports. */
  bin: string;
}

export const CARD_COMPANIES: readonly CardCompany[] = [
  { code: '11', ko: 'BC카드', en: 'BC Card', brand: 'LOCAL', bin: '910020' },
  { code: '06', ko: 'KB국민카드', en: 'KB Kookmin Card', brand: 'LOCAL', bin: '457973' },
  { code: '12', ko: '삼성카드', en: 'Samsung Card', brand: 'LOCAL', bin: '536181' },
  { code: '14', ko: '신한카드', en: 'Shinhan Card', brand: 'LOCAL', bin: '451842' },
  { code: '04', ko: '현대카드', en: 'Hyundai Card', brand: 'LOCAL', bin: '433028' },
  { code: '03', ko: '롯데카드', en: 'Lotte Card', brand: 'LOCAL', bin: '404825' },
  { code: '34', ko: '하나카드', en: 'Hana Card', brand: 'LOCAL', bin: '411904' },
  { code: '41', ko: 'NH농협카드', en: 'NH NongHyup Card', brand: 'LOCAL', bin: '546252' },
  { code: '44', ko: '우리카드', en: 'Woori Card', brand: 'LOCAL', bin: '540926' },
  { code: '43', ko: '씨티카드', en: 'Citi Card', brand: 'LOCAL', bin: '540447' },
  { code: '21', ko: '해외 VISA', en: 'VISA (overseas)', brand: 'VISA', bin: '421468' },
  { code: '22', ko: '해외 MASTER', en: 'Mastercard (overseas)', brand: 'MASTER', bin: '522170' },
  { code: '23', ko: '해외 JCB', en: 'JCB (overseas)', brand: 'JCB', bin: '356900' },
];

export const cardCompany = (code: string | undefined): CardCompany | undefined => CARD_COMPANIES.find((c) => c.code === code);

export interface BankInfo {
  code: Bank;
  ko: string;
  en: string;
}

export const BANKS: readonly BankInfo[] = [
  { code: 'KOOKMIN', ko: 'KB국민은행', en: 'KB Kookmin Bank' },
  { code: 'SHINHAN', ko: '신한은행', en: 'Shinhan Bank' },
  { code: 'WOORI', ko: '우리은행', en: 'Woori Bank' },
  { code: 'HANA', ko: '하나은행', en: 'Hana Bank' },
  { code: 'NONGHYUP', ko: 'NH농협은행', en: 'NH NongHyup Bank' },
  { code: 'IBK', ko: 'IBK기업은행', en: 'IBK' },
  { code: 'POST', ko: '우체국', en: 'Korea Post' },
  { code: 'BUSAN', ko: '부산은행', en: 'Busan Bank' },
  { code: 'DAEGU', ko: '대구은행', en: 'Daegu Bank' },
  { code: 'KAKAO', ko: '카카오뱅크', en: 'KakaoBank' },
  { code: 'TOSS', ko: '토스뱅크', en: 'Toss Bank' },
  { code: 'K_BANK', ko: '케이뱅크', en: 'K Bank' },
];


/** Easy-pay providers KG Inicis offers through PortOne (reference §5.3). */
export const EASY_PAY_PROVIDERS = ['KAKAOPAY', 'NAVERPAY', 'SAMSUNGPAY', 'SSGPAY', 'APPLEPAY', 'LPAY', 'TOSSPAY', 'PAYCO'] as const;
export type InicisEasyPayProvider = (typeof EASY_PAY_PROVIDERS)[number];

export const EASY_PAY_NAMES: Record<InicisEasyPayProvider, { ko: string; en: string }> = {
  KAKAOPAY: { ko: '카카오페이', en: 'KakaoPay' },
  NAVERPAY: { ko: '네이버페이', en: 'Naver Pay' },
  SAMSUNGPAY: { ko: '삼성페이', en: 'Samsung Pay' },
  SSGPAY: { ko: 'SSGPAY', en: 'SSGPAY' },
  APPLEPAY: { ko: '애플페이', en: 'Apple Pay' },
  LPAY: { ko: 'L.PAY', en: 'L.PAY' },
  TOSSPAY: { ko: '토스페이', en: 'Toss Pay' },
  PAYCO: { ko: 'PAYCO', en: 'PAYCO' },
};

export const CARRIERS = [
  { code: 'SKT', ko: 'SKT', en: 'SKT' },
  { code: 'KT', ko: 'KT', en: 'KT' },
  { code: 'LGU', ko: 'LG U+', en: 'LG U+' },
  { code: 'MVNO', ko: '알뜰폰', en: 'MVNO' },
] as const;

export const GIFT_CERTIFICATE_TYPES = ['BOOKNLIFE', 'SMART_MUNSANG', 'CULTURELAND'] as const;

/** A decline the window can simulate, with the PG's code and message. */
export interface Decline {
  pgCode: string;
  pgMessage: string;
}

/** KG Inicis-style decline codes per method; the first of each list is the default. */
export const DECLINES: Record<string, readonly Decline[]> = {
  CARD: [
    { pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' },
    { pgCode: 'V007', pgMessage: '잔액이 부족합니다. (체크카드)' },
    { pgCode: 'V013', pgMessage: '카드 유효기간이 만료되었습니다.' },
    { pgCode: 'V020', pgMessage: '분실 또는 도난 신고된 카드입니다.' },
    { pgCode: 'V031', pgMessage: '비밀번호 오류 횟수를 초과했습니다.' },
  ],
  TRANSFER: [
    { pgCode: 'T005', pgMessage: '출금 계좌의 잔액이 부족합니다.' },
    { pgCode: 'T012', pgMessage: '은행 점검 시간입니다. 잠시 후 다시 시도해 주세요.' },
  ],
  VIRTUAL_ACCOUNT: [{ pgCode: 'A101', pgMessage: '가상계좌 채번에 실패했습니다.' }],
  MOBILE: [
    { pgCode: 'M105', pgMessage: '휴대폰 소액결제 월 이용한도를 초과했습니다.' },
    { pgCode: 'M201', pgMessage: '인증번호가 일치하지 않습니다.' },
  ],
  EASY_PAY: [
    { pgCode: 'E201', pgMessage: '간편결제 인증에 실패했습니다.' },
    { pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' },
  ],
  GIFT_CERTIFICATE: [{ pgCode: 'G003', pgMessage: '상품권 잔액이 부족합니다.' }],
  BILLING_KEY: [
    { pgCode: 'B013', pgMessage: '카드 인증에 실패했습니다.' },
    { pgCode: 'V013', pgMessage: '카드 유효기간이 만료되었습니다.' },
  ],
};

export const defaultDecline = (method: string): Decline => (DECLINES[method] ?? DECLINES.CARD!)[0]!;

/** A decline for a scripted code: its known message (this method's list first), else a generic one. */
export function declineFor(method: string, pgCode: string | undefined, pgMessage: string | undefined): Decline {
  if (pgCode === undefined) return pgMessage === undefined ? defaultDecline(method) : { ...defaultDecline(method), pgMessage };
  const known = [...(DECLINES[method] ?? []), ...Object.values(DECLINES).flat()].find((d) => d.pgCode === pgCode);
  return { pgCode, pgMessage: pgMessage ?? known?.pgMessage ?? '승인이 거절되었습니다.' };
}

/** What a shopper closing or cancelling the window produces (PortOne's own wording). */
export const SHOPPER_CANCEL_MESSAGE = '사용자가 결제를 취소하였습니다.';

/** Inicis refusing a card or easy-pay amount under 1,000 KRW without `below1000`. */
export const BELOW_1000_DECLINE: Decline = { pgCode: 'V117', pgMessage: '1,000원 미만 결제는 below1000 옵션이 필요합니다.' };

/**
 * Test cards for API payments and billing keys (like Stripe's): any Luhn-valid number approves,
 * except these. `charge` declines happen when money moves, `issue` declines already at issuance.
 */
export const TEST_CARDS: Record<string, { when: 'issue' | 'charge'; decline: Decline }> = {
  '4000000000000002': { when: 'charge', decline: { pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' } },
  '4000000000009995': { when: 'charge', decline: { pgCode: 'V007', pgMessage: '잔액이 부족합니다. (체크카드)' } },
  '4000000000000069': { when: 'issue', decline: { pgCode: 'V013', pgMessage: '카드 유효기간이 만료되었습니다.' } },
  '4000000000000119': { when: 'issue', decline: { pgCode: 'V020', pgMessage: '분실 또는 도난 신고된 카드입니다.' } },
};

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return number.length >= 13 && sum % 10 === 0;
}

/** The card company a real number would belong to, by its first digits (a rough BIN table). */
export function cardCompanyForNumber(number: string): CardCompany {
  if (number.startsWith('4')) return cardCompany('21')!;
  if (/^5[1-5]/.test(number)) return cardCompany('22')!;
  if (number.startsWith('35')) return cardCompany('23')!;
  if (number.startsWith('9')) return cardCompany('11')!;
  return cardCompany('14')!;
}

export const maskCardNumber = (bin: string, last4 = '1234'): string => `${bin.slice(0, 6)}******${last4}`;

// What the simulated KG Inicis knows: card companies (Inicis card codes, as used by
// `P_CARD_OPTION selcode=…`, `slimquota`, `mallpoint`), banks, carriers, easy-pay providers,
// PG-style decline codes, and the sandbox's test card numbers.
import type { Bank, CardBrand } from '@portone/server-sdk/common';
import type { PaymentMethodCard } from '@portone/server-sdk/payment';
import type { CardCompany as BrowserCardCompany } from '@portone/browser-sdk/v2';

/**
 * A browser SDK `CardCompany` value without its `CARD_COMPANY_` alias. Used only inside this module,
 * so no declaration the package ships imports the SDK's typings (their duplicate exports fail a
 * consumer's `skipLibCheck: false`); the public fields below are plain strings.
 */
type SdkCardCompany = Exclude<BrowserCardCompany, `CARD_COMPANY_${string}`>;

export interface CardCompany {
  /** KG Inicis card code. */
  code: string;
  ko: string;
  en: string;
  brand: CardBrand;
  /** First six digits of the masked number the window reports. */
  bin: string;
  /** The browser SDK's `card.cardCompany` value for a direct call to this card, if it has one. */
  sdk?: string;
}

/**
 * Card companies the simulated KG Inicis window offers, by Inicis card code. Every browser SDK
 * `CardCompany` except Toss Bank (which KG Inicis does not offer, reference §5.3) is here; the
 * codes of the newer issuers (KakaoBank, K bank, Mirae Asset) are the sandbox's own.
 */
export const CARD_COMPANIES = [
  { code: '11', ko: 'BC카드', en: 'BC Card', brand: 'LOCAL', bin: '910020', sdk: 'BC_CARD' },
  { code: '06', ko: 'KB국민카드', en: 'KB Kookmin Card', brand: 'LOCAL', bin: '457973', sdk: 'KOOKMIN_CARD' },
  { code: '12', ko: '삼성카드', en: 'Samsung Card', brand: 'LOCAL', bin: '536181', sdk: 'SAMSUNG_CARD' },
  { code: '14', ko: '신한카드', en: 'Shinhan Card', brand: 'LOCAL', bin: '451842', sdk: 'SHINHAN_CARD' },
  { code: '04', ko: '현대카드', en: 'Hyundai Card', brand: 'LOCAL', bin: '433028', sdk: 'HYUNDAI_CARD' },
  { code: '03', ko: '롯데카드', en: 'Lotte Card', brand: 'LOCAL', bin: '404825', sdk: 'LOTTE_CARD' },
  { code: '34', ko: '하나카드', en: 'Hana Card', brand: 'LOCAL', bin: '411904', sdk: 'HANA_CARD' },
  { code: '41', ko: 'NH농협카드', en: 'NH NongHyup Card', brand: 'LOCAL', bin: '546252', sdk: 'NH_CARD' },
  { code: '44', ko: '우리카드', en: 'Woori Card', brand: 'LOCAL', bin: '540926', sdk: 'WOORI_CARD' },
  { code: '43', ko: '씨티카드', en: 'Citi Card', brand: 'LOCAL', bin: '540447', sdk: 'CITI_CARD' },
  { code: '32', ko: '광주카드', en: 'Kwangju Card', brand: 'LOCAL', bin: '535973', sdk: 'GWANGJU_CARD' },
  { code: '33', ko: '전북카드', en: 'Jeonbuk Card', brand: 'LOCAL', bin: '524040', sdk: 'JEONBUK_CARD' },
  { code: '51', ko: '수협카드', en: 'Suhyup Card', brand: 'LOCAL', bin: '517560', sdk: 'SUHYUP_CARD' },
  { code: '52', ko: '제주카드', en: 'Jeju Card', brand: 'LOCAL', bin: '523990', sdk: 'JEJU_CARD' },
  { code: '35', ko: 'KDB산업은행카드', en: 'KDB Card', brand: 'LOCAL', bin: '942090', sdk: 'KOREA_DEVELOPMENT_BANK' },
  { code: '54', ko: 'MG새마을금고카드', en: 'MG Saemaul Card', brand: 'LOCAL', bin: '944541', sdk: 'KFCC' },
  { code: '48', ko: '신협카드', en: 'Shinhyup Card', brand: 'LOCAL', bin: '944116', sdk: 'SHINHYUP' },
  { code: '71', ko: '우체국카드', en: 'Korea Post Card', brand: 'LOCAL', bin: '941116', sdk: 'EPOST' },
  { code: '95', ko: '저축은행카드', en: 'Savings Bank Card', brand: 'LOCAL', bin: '944603', sdk: 'SAVINGS_BANK_KOREA' },
  { code: '15', ko: '카카오뱅크카드', en: 'KakaoBank Card', brand: 'LOCAL', bin: '536648', sdk: 'KAKAO_BANK' },
  { code: '16', ko: '케이뱅크카드', en: 'K bank Card', brand: 'LOCAL', bin: '538920', sdk: 'K_BANK' },
  { code: '56', ko: '미래에셋증권카드', en: 'Mirae Asset Card', brand: 'LOCAL', bin: '949013', sdk: 'MIRAE_ASSET_SECURITIES' },
  { code: '21', ko: '해외 VISA', en: 'VISA (overseas)', brand: 'VISA', bin: '421468' },
  { code: '22', ko: '해외 MASTER', en: 'Mastercard (overseas)', brand: 'MASTER', bin: '522170' },
  { code: '23', ko: '해외 JCB', en: 'JCB (overseas)', brand: 'JCB', bin: '356900' },
] as const satisfies readonly CardCompany[];

export const cardCompany = (code: string | undefined): CardCompany | undefined => (CARD_COMPANIES as readonly CardCompany[]).find((c) => c.code === code);

/** Browser SDK card companies KG Inicis refuses in a direct call (reference §5.3: all but Toss Bank). */
const UNSUPPORTED = ['TOSS_BANK'] as const satisfies readonly SdkCardCompany[];
export const UNSUPPORTED_CARD_COMPANIES: readonly string[] = UNSUPPORTED;

type OfferedCardCompany = Extract<(typeof CARD_COMPANIES)[number], { sdk: string }>['sdk'];

/**
 * Inicis card code per browser SDK card company. Built typed, so that an `sdk` value the SDK does
 * not know, or a `CardCompany` added to the SDK and neither in `CARD_COMPANIES` nor in
 * `UNSUPPORTED`, fails the typecheck; exported as plain strings (see `SdkCardCompany`).
 */
const CODES_BY_SDK_COMPANY: Record<Exclude<SdkCardCompany, (typeof UNSUPPORTED)[number]>, string> = Object.fromEntries(
  CARD_COMPANIES.flatMap((c) => ('sdk' in c ? [[c.sdk satisfies SdkCardCompany, c.code] as const] : [])),
) as Record<OfferedCardCompany, string>;
export const SDK_CARD_CODES: Readonly<Record<string, string>> = CODES_BY_SDK_COMPANY;

export interface BankInfo {
  code: Bank;
  ko: string;
  en: string;
}

/** Every REST `Bank` (server SDK type), with its Korean name; the `satisfies` makes drift fail the typecheck. */
const BANK_NAMES = {
  BANK_OF_KOREA: ['한국은행', 'Bank of Korea'],
  KDB: ['KDB산업은행', 'Korea Development Bank'],
  IBK: ['IBK기업은행', 'IBK'],
  KOOKMIN: ['KB국민은행', 'KB Kookmin Bank'],
  SUHYUP: ['수협은행', 'Suhyup Bank'],
  KEXIM: ['한국수출입은행', 'Export-Import Bank of Korea'],
  NONGHYUP: ['NH농협은행', 'NH NongHyup Bank'],
  LOCAL_NONGHYUP: ['지역농축협', 'Local NongHyup'],
  WOORI: ['우리은행', 'Woori Bank'],
  STANDARD_CHARTERED: ['SC제일은행', 'Standard Chartered Bank Korea'],
  CITI: ['한국씨티은행', 'Citibank Korea'],
  SUHYUP_FEDERATION: ['수협중앙회', 'Suhyup Federation'],
  DAEGU: ['아이엠뱅크', 'iM Bank'],
  BUSAN: ['부산은행', 'Busan Bank'],
  KWANGJU: ['광주은행', 'Kwangju Bank'],
  JEJU: ['제주은행', 'Jeju Bank'],
  JEONBUK: ['전북은행', 'Jeonbuk Bank'],
  KYONGNAM: ['경남은행', 'Kyongnam Bank'],
  KFCC: ['새마을금고', 'MG Saemaul'],
  SHINHYUP: ['신협', 'Shinhyup'],
  SAVINGS_BANK: ['저축은행', 'Savings bank'],
  MORGAN_STANLEY: ['모간스탠리은행', 'Morgan Stanley'],
  HSBC: ['HSBC은행', 'HSBC'],
  DEUTSCHE: ['도이치은행', 'Deutsche Bank'],
  JPMC: ['제이피모간체이스은행', 'JPMorgan Chase'],
  MIZUHO: ['미즈호은행', 'Mizuho Bank'],
  MUFG: ['엠유에프지은행', 'MUFG Bank'],
  BANK_OF_AMERICA: ['BOA은행', 'Bank of America'],
  BNP_PARIBAS: ['비엔피파리바은행', 'BNP Paribas'],
  ICBC: ['중국공상은행', 'ICBC'],
  BANK_OF_CHINA: ['중국은행', 'Bank of China'],
  NFCF: ['산림조합중앙회', 'NFCF'],
  UOB: ['대화은행', 'UOB'],
  BOCOM: ['교통은행', 'Bank of Communications'],
  CCB: ['중국건설은행', 'China Construction Bank'],
  POST: ['우체국', 'Korea Post'],
  KODIT: ['신용보증기금', 'KODIT'],
  KIBO: ['기술보증기금', 'KIBO'],
  HANA: ['하나은행', 'Hana Bank'],
  SHINHAN: ['신한은행', 'Shinhan Bank'],
  K_BANK: ['케이뱅크', 'K Bank'],
  KAKAO: ['카카오뱅크', 'KakaoBank'],
  TOSS: ['토스뱅크', 'Toss Bank'],
  MISC_FOREIGN: ['기타 외국계은행', 'Other foreign bank'],
  SGI: ['서울보증보험', 'SGI Seoul Guarantee'],
  KCIS: ['한국신용정보원', 'KCIS'],
  YUANTA_SECURITIES: ['유안타증권', 'Yuanta Securities'],
  KB_SECURITIES: ['KB증권', 'KB Securities'],
  SANGSANGIN_SECURITIES: ['상상인증권', 'Sangsangin Securities'],
  HANYANG_SECURITIES: ['한양증권', 'Hanyang Securities'],
  LEADING_SECURITIES: ['리딩투자증권', 'Leading Securities'],
  BNK_SECURITIES: ['BNK투자증권', 'BNK Securities'],
  IBK_SECURITIES: ['IBK투자증권', 'IBK Securities'],
  DAOL_SECURITIES: ['다올투자증권', 'Daol Securities'],
  MIRAE_ASSET_SECURITIES: ['미래에셋증권', 'Mirae Asset Securities'],
  SAMSUNG_SECURITIES: ['삼성증권', 'Samsung Securities'],
  KOREA_SECURITIES: ['한국투자증권', 'Korea Investment & Securities'],
  NH_SECURITIES: ['NH투자증권', 'NH Investment & Securities'],
  KYOBO_SECURITIES: ['교보증권', 'Kyobo Securities'],
  HI_SECURITIES: ['하이투자증권', 'Hi Investment & Securities'],
  HYUNDAI_MOTOR_SECURITIES: ['현대차증권', 'Hyundai Motor Securities'],
  KIWOOM_SECURITIES: ['키움증권', 'Kiwoom Securities'],
  EBEST_SECURITIES: ['LS증권', 'LS Securities'],
  SK_SECURITIES: ['SK증권', 'SK Securities'],
  DAISHIN_SECURITIES: ['대신증권', 'Daishin Securities'],
  HANHWA_SECURITIES: ['한화투자증권', 'Hanwha Investment & Securities'],
  HANA_SECURITIES: ['하나증권', 'Hana Securities'],
  TOSS_SECURITIES: ['토스증권', 'Toss Securities'],
  SHINHAN_SECURITIES: ['신한투자증권', 'Shinhan Securities'],
  DB_SECURITIES: ['DB금융투자', 'DB Financial Investment'],
  EUGENE_SECURITIES: ['유진투자증권', 'Eugene Investment & Securities'],
  MERITZ_SECURITIES: ['메리츠증권', 'Meritz Securities'],
  KAKAO_PAY_SECURITIES: ['카카오페이증권', 'Kakao Pay Securities'],
  BOOKOOK_SECURITIES: ['부국증권', 'Bookook Securities'],
  SHINYOUNG_SECURITIES: ['신영증권', 'Shinyoung Securities'],
  CAPE_SECURITIES: ['케이프투자증권', 'Cape Investment & Securities'],
  KOREA_SECURITIES_FINANCE: ['한국증권금융', 'Korea Securities Finance'],
  KOREA_FOSS_SECURITIES: ['한국포스증권', 'Korea FOSS Securities'],
  WOORI_INVESTMENT_BANK: ['우리종합금융', 'Woori Investment Bank'],
} as const satisfies Record<KnownBank, readonly [string, string]>;

/** The REST `Bank` values, without the SDK's `string & {}` catch-all for values from a newer API. */
type KnownBank = Bank extends infer B ? (B extends string ? (string extends B ? never : B) : never) : never;

/** Every bank the REST API accepts (refund accounts, API virtual accounts, the window's outcome). */
export const BANKS: readonly BankInfo[] = Object.entries(BANK_NAMES).map(([code, [ko, en]]) => ({ code: code as Bank, ko, en }));

/** Banks the window's bank list offers first (the rest follow, grouped, in `BANKS` order). */
export const MAIN_BANK_CODES: readonly Bank[] = ['KOOKMIN', 'SHINHAN', 'WOORI', 'HANA', 'NONGHYUP', 'IBK', 'POST', 'BUSAN', 'DAEGU', 'KAKAO', 'TOSS', 'K_BANK'];

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

/**
 * What a shopper closing or cancelling the window produces (PortOne's own wording), and its English
 * for an EN_US window. Both say the *user* cancelled, which is how `isShopperCancel` tells them
 * from a PG decline; no decline message here says so.
 */
export const SHOPPER_CANCEL_MESSAGE = '사용자가 결제를 취소하였습니다.';
export const SHOPPER_CANCEL_MESSAGE_EN = 'Payment cancelled by the user.';

/**
 * KG Inicis refusing to approve a manual-approval window confirmed too late (`manualApprovalTtlMs`).
 * The code is the sandbox's numbering: what holds is a `PG_PROVIDER` with a stable code.
 */
export const APPROVAL_EXPIRED_DECLINE: Decline = { pgCode: 'V801', pgMessage: '인증 후 승인 가능 시간이 지나 승인할 수 없습니다.' };

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

/** The `Card` a payment or billing key reports for a card of this company (masked number). */
export function cardFields(company: CardCompany, ownerType: 'PERSONAL' | 'CORPORATE', last4?: string): NonNullable<PaymentMethodCard['card']> {
  return {
    publisher: company.ko,
    issuer: company.ko,
    brand: company.brand,
    type: 'CREDIT',
    ownerType,
    bin: company.bin,
    name: company.ko,
    number: maskCardNumber(company.bin, last4),
  };
}

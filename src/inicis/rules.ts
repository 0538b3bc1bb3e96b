// KG Inicis's rules for PortOne V2 window requests, checked before the SDK is called. Sources:
// PortOne's KG Inicis V2 guide (inicis-v2.mdx) and the per-PG notes of browser-sdk.yml; see
// the reference's §5.3. Identity verification: PortOne's KG Inicis 통합인증 guide
// (inicis-unified-identity-verification.mdx). Pure functions: no DOM, usable without the elements.
import type { IdentityVerificationRequest, IssueBillingKeyAndPayRequest, IssueBillingKeyRequest, PaymentRequest } from '../client/portone-types.js';
import type { CheckoutFlow } from '../contract.js';
import { oneOf, violation, type Violation } from './violation.js';

/** Which module KG Inicis runs: the PC one or the mobile one (different rules and bypass keys). */
export type Device = 'pc' | 'mobile';

/** Which SDK function the request is for: the checkout flows, named once in the contract. */
export type RequestKind = CheckoutFlow;

/** Ids of the rules, as they appear in `Violation.rule`. */
export const INICIS_RULES = [
  'customer-name',
  'customer-contact',
  'customer-gender',
  'ascii-id',
  'issue-fields',
  'order-name',
  'pay-method',
  'billing-key-method',
  'billing-key-and-pay-method',
  'offer-period',
  'product-type',
  'currency',
  'locale',
  'acceptmethod',
  'skin',
  'slimquota',
  'mallpoint',
  'parentemail',
  'ssgpay-phone',
  'card-option',
  'reserved',
  'card-use',
  'below1000',
  'gift-certificate',
  'easy-pay-provider',
  'card-company',
  'installment',
  'window-type',
  'redirect-url',
  'fixed-user',
  'direct-agency',
  'logo-url',
] as const;
export type InicisRule = (typeof INICIS_RULES)[number];
export type InicisViolation = Violation<InicisRule>;

export interface InicisCheck {
  /** Broken rules: the request must not reach the SDK. */
  violations: InicisViolation[];
  /** Things KG Inicis changes or ignores (an order name over 40 bytes is cut, an ignored locale). */
  warnings: InicisViolation[];
}

/** Pay methods KG Inicis offers in its window. */
export const INICIS_PAY_METHODS = ['CARD', 'TRANSFER', 'VIRTUAL_ACCOUNT', 'GIFT_CERTIFICATE', 'MOBILE', 'EASY_PAY'] as const;
/** Easy-pay providers KG Inicis can call directly. */
export const INICIS_EASY_PAY_PROVIDERS = ['KAKAOPAY', 'NAVERPAY', 'SAMSUNGPAY', 'SSGPAY', 'APPLEPAY', 'LPAY', 'TOSSPAY', 'PAYCO'] as const;
/** Gift certificates KG Inicis's mobile module needs named. */
export const INICIS_GIFT_CERTIFICATES = ['BOOKNLIFE', 'SMART_MUNSANG', 'CULTURELAND'] as const;
/**
 * Card companies KG Inicis calls directly (`card.cardCompany`): every one of the browser SDK's
 * `CardCompany` values but Toss Bank (inicis-v2.mdx: "토스뱅크를 제외한 모든 카드사를 지원합니다").
 * test/inicis/sdk-lists.typecheck.ts keeps the list in step with the SDK's.
 */
export const INICIS_CARD_COMPANIES = [
  'KOREA_DEVELOPMENT_BANK', 'KFCC', 'SHINHYUP', 'EPOST', 'SAVINGS_BANK_KOREA', 'KAKAO_BANK', 'WOORI_CARD', 'BC_CARD', 'GWANGJU_CARD', 'SAMSUNG_CARD', 'SHINHAN_CARD',
  'HYUNDAI_CARD', 'LOTTE_CARD', 'SUHYUP_CARD', 'CITI_CARD', 'NH_CARD', 'JEONBUK_CARD', 'JEJU_CARD', 'HANA_CARD', 'KOOKMIN_CARD', 'K_BANK', 'MIRAE_ASSET_SECURITIES',
] as const;
/** The browser SDK's `Locale` values (test/inicis/sdk-lists.typecheck.ts keeps them in step). */
export const SDK_LOCALES = [
  'KO_KR', 'EN_US', 'ZH_CN', 'ZH_TW', 'JA_JP', 'RU_RU', 'TH_TH', 'VI_VN', 'ID_ID', 'FR_FR', 'NL_NL', 'ES_ES', 'PT_PT', 'DE_DE', 'IT_IT',
  'PL_PL', 'TR_TR', 'SV_SE', 'FI_FI', 'UK_UA', 'EL_GR', 'TL_PH', 'HI_IN', 'HR_HR', 'LT_LT', 'SL_SI', 'SR_RS', 'BG_BG', 'PT_BR', 'AR_001',
] as const;
/** KG Inicis 통합인증's provider codes for `bypass.inicisUnified.directAgency` (`SMS` needs a contract). */
export const INICIS_DIRECT_AGENCIES = ['PAYCO', 'PASS', 'TOSS', 'KFTC', 'KAKAO', 'NAVER', 'SAMSUNG', 'SHINHAN', 'KB', 'HANA', 'WOORI', 'NH', 'KAKAOBANK', 'SMS'] as const;
/** Byte length of `orderName` KG Inicis keeps; longer names are cut to 37 bytes + `...`. */
export const ORDER_NAME_MAX_BYTES = 40;
/** Byte length of the buyer's name KG Inicis takes (browser-sdk.yml, reference §5.3). */
export const CUSTOMER_NAME_MAX_BYTES = 30;

/** The SDK request type of each kind. */
export interface RequestOf {
  payment: PaymentRequest;
  'billing-key': IssueBillingKeyRequest;
  'billing-key-and-pay': IssueBillingKeyAndPayRequest;
  'identity-verification': IdentityVerificationRequest;
}
/** What the checks read, loosely typed: the request may come from plain JavaScript. */
type LooseRequest = Partial<Record<'paymentId' | 'issueId' | 'issueName' | 'orderName' | 'payMethod' | 'billingKeyMethod' | 'billingKeyAndPayMethod' | 'productType' | 'currency' | 'locale' | 'redirectUrl', string>> & {
  customer?: PaymentRequest['customer'];
  windowType?: Partial<Record<Device, string>>;
  offerPeriod?: { interval?: unknown; range?: { from?: unknown; to?: unknown } };
  bypass?: { inicis_v2?: { carduse?: string }; inicisUnified?: Partial<Record<'flgFixedUser' | 'directAgency' | 'logoUrl', string>> };
};

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;
const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
/** Drops PortOne's enum prefix (`CURRENCY_KRW` → `KRW`). */
const bare = (value: unknown, prefix: string) => (typeof value === 'string' ? value.replace(prefix, '') : value);

/** Guide: customer ids are "ASCII printable characters only". */
const ASCII = /^[\x20-\x7e]+$/;
const ACCEPT = /^(below1000|ocb|paypopup|hidebar|noeasypay|SKIN\(.*\)|slimquota\(.*\)|mallpoint\(.*\))$/;
const RESERVED = ['below1000=Y', 'noeasypay=Y', 'global_visa3d=Y', 'apprun_check=Y'];
const SKIN = /^SKIN\(#[0-9a-f]{6}\)$/i;
const SLIMQUOTA = /^slimquota\(\d\d-\d\d?(:\d\d?)*(\^\d\d-\d\d?(:\d\d?)*)*\)$/;
const MALLPOINT = /^mallpoint\(\d\d(:\d\d)*\)$/;
const INTERVAL = /^\d+[dmy]$/;
const BILLING_INTERVAL = /^1[my]$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const GENDERS = ['MALE', 'FEMALE', 'OTHER'];
/** A bypass option KG Inicis's guide does not list: passed on, and ignored by KG Inicis. */
const UNLISTED = ['가이드에 없는 옵션 (무시됨)', 'an option the guide lists (another is ignored)'] as const;

/** Every KG Inicis rule broken by `request` for the given SDK function and module, plus warnings. */
export function checkInicisRequest<K extends RequestKind>(kind: K, anyRequest: RequestOf[K], device: Device): InicisCheck {
  const request = anyRequest as LooseRequest;
  const violations: InicisViolation[] = [];
  const warnings: InicisViolation[] = [];
  const fail = (field: string, rule: InicisRule, expected: readonly [string, string], value?: unknown) =>
    violations.push(violation(field, rule, expected, value));
  const pc = device === 'pc';
  const billingKey = kind === 'billing-key';
  const andPay = kind === 'billing-key-and-pay';
  const customer = request.customer ?? {};
  const unnamed = blank(customer.fullName) && (blank(customer.firstName) || blank(customer.lastName));

  // Every window: an e-mail that is one (the SDK's `Customer.email`: "올바른 형식의 이메일 주소여야
  // 합니다."), a `Gender` value; a redirecting window needs somewhere to come back to.
  if (!blank(customer.email) && !/^[^\s@]+@[^\s@]+$/.test(customer.email!)) {
    fail('customer.email', 'customer-contact', ['이메일 형식', 'an e-mail address'], customer.email);
  }
  if (customer.gender !== undefined && !GENDERS.includes(bare(customer.gender, 'GENDER_') as string)) {
    fail('customer.gender', 'customer-gender', oneOf(GENDERS), customer.gender);
  }
  checkWindow(kind, request, device, fail);

  // 통합인증: only what `bypass.inicisUnified` asks for. The element always sends it (KG Inicis
  // requires `flgFixedUser`); a page that replaced the bypass (another identity channel) gets no rule.
  if (kind === 'identity-verification') {
    const inicis = request.bypass?.inicisUnified;
    const field = 'bypass.inicisUnified.';
    if (inicis) {
      const fixed = inicis.flgFixedUser;
      if (fixed !== 'Y' && fixed !== 'N') fail(`${field}flgFixedUser`, 'fixed-user', ['Y 또는 N (필수)', 'Y or N (required)'], fixed);
      if (fixed === 'Y') checkFixedUser(customer, unnamed, fail);
      if (inicis.directAgency !== undefined && !INICIS_DIRECT_AGENCIES.includes(inicis.directAgency as never)) {
        fail(`${field}directAgency`, 'direct-agency', oneOf(INICIS_DIRECT_AGENCIES), inicis.directAgency);
      }
      if (inicis.logoUrl !== undefined && !/^https:\/\//i.test(inicis.logoUrl)) {
        warnings.push(violation(`${field}logoUrl`, 'logo-url', ['https:// 주소 (창이 HTTPS라 http 이미지는 안 보일 수 있음)', 'an https:// URL (the window is HTTPS: an http image may not show)'], inicis.logoUrl));
      }
    }
    return { violations, warnings };
  }

  // Customer: a name of at most 30 bytes always; phone and e-mail on PC, and always for billing-key-and-pay.
  if (unnamed) fail('customer.fullName', 'customer-name', ['fullName 또는 firstName+lastName 필요', 'fullName, or firstName and lastName'], customer.fullName);
  else {
    // KG Inicis takes one name: fullName, else the SDK's "lastName firstName".
    const bytes = utf8Bytes(blank(customer.fullName) ? `${customer.lastName} ${customer.firstName}` : customer.fullName!);
    if (bytes > CUSTOMER_NAME_MAX_BYTES) {
      fail(blank(customer.fullName) ? 'customer.lastName' : 'customer.fullName', 'customer-name', [`${CUSTOMER_NAME_MAX_BYTES}바이트 이하`, `at most ${CUSTOMER_NAME_MAX_BYTES} UTF-8 bytes`], `${bytes} bytes`);
    }
  }
  if (pc || andPay) {
    const where = andPay ? ['', ''] : ['PC에서 ', ' on PC'];
    if (blank(customer.phoneNumber)) fail('customer.phoneNumber', 'customer-contact', [`${where[0]}필수`, `a phone number${where[1]}`]);
    if (blank(customer.email)) fail('customer.email', 'customer-contact', [`${where[0]}필수`, `an e-mail address${where[1]}`]);
  }

  // The attempt's id: printable ASCII.
  const idField = billingKey ? 'issueId' : 'paymentId';
  const id = request[idField];
  if (blank(id)) fail(idField, billingKey ? 'issue-fields' : 'ascii-id', ['필수', 'an id'], id);
  else if (!ASCII.test(id!)) fail(idField, 'ascii-id', ['ASCII 출력 문자만', 'printable ASCII only'], id);

  if (billingKey) {
    if (blank(request.issueName)) fail('issueName', 'issue-fields', ['필수', 'a title'], request.issueName);
    if (request.billingKeyMethod !== 'CARD') {
      fail('billingKeyMethod', 'billing-key-method', ['CARD만 가능', 'CARD'], request.billingKeyMethod);
    }
  } else {
    if (blank(request.orderName)) fail('orderName', 'order-name', ['필수', 'an order name'], request.orderName);
    else if (utf8Bytes(request.orderName!) > ORDER_NAME_MAX_BYTES) {
      warnings.push(violation('orderName', 'order-name', [`${ORDER_NAME_MAX_BYTES}바이트 초과분은 잘림`, `at most ${ORDER_NAME_MAX_BYTES} UTF-8 bytes (longer is cut)`], `${utf8Bytes(request.orderName!)} bytes`));
    }
  }
  if (andPay && request.billingKeyAndPayMethod !== 'MOBILE') {
    fail('billingKeyAndPayMethod', 'billing-key-and-pay-method', ['MOBILE만 가능 (PHONE은 MOBILE)', 'MOBILE (the guide\'s PHONE)'], request.billingKeyAndPayMethod);
  }

  const payMethod = request.payMethod;
  if (kind === 'payment' && !INICIS_PAY_METHODS.includes(payMethod as never)) {
    fail('payMethod', 'pay-method', oneOf(INICIS_PAY_METHODS), payMethod);
  }

  // Offer period: required for mobile billing, where KG Inicis takes a 1m/1y interval or a full
  // from < to range (inicis-v2.mdx, "offerPeriod 파라미터 제약 사항"); wherever set, the SDK's shape.
  const period = request.offerPeriod;
  if (period === undefined) {
    if ((billingKey || andPay) && !pc) fail('offerPeriod', 'offer-period', ['모바일에서 필수', 'an offer period on mobile'], period);
  } else if (!isOfferPeriod(period, billingKey || andPay)) {
    const interval = billingKey || andPay ? ['1m, 1y', '1m or 1y'] : ['간격 (30d, 1m …)', 'an interval (30d, 1m …)'];
    fail('offerPeriod', 'offer-period', [`${interval[0]} 또는 from < to (RFC 3339)`, `${interval[1]}, or an RFC 3339 range from < to`], period);
  }

  // Product type: required for phone payments and billing-key-and-pay; whenever set, one of the SDK's two.
  if (andPay || payMethod === 'MOBILE' || request.productType !== undefined) {
    const type = bare(request.productType, 'PRODUCT_TYPE_');
    if (type !== 'REAL' && type !== 'DIGITAL') fail('productType', 'product-type', ['REAL 또는 DIGITAL', 'REAL or DIGITAL'], request.productType);
  }

  // Currency: KRW, or USD for PC card payments and PC billing keys.
  const currency = bare(request.currency, 'CURRENCY_');
  const usdAllowed = kind === 'payment' ? payMethod === 'CARD' : billingKey && pc;
  if ((currency !== undefined || !billingKey) && currency !== 'KRW' && !(currency === 'USD' && usdAllowed)) {
    fail('currency', 'currency', usdAllowed ? ['KRW 또는 USD', 'KRW or USD'] : ['KRW (USD는 카드만)', 'KRW (USD: cards only)'], request.currency);
  }

  // Locale: one of the SDK's `Locale` values, or PortOne cannot read it. Payment windows speak
  // KO_KR, EN_US and (PC) ZH_CN; mobile billing is always Korean. Another of the SDK's locales only
  // warns: the guide lists what each window shows and, where a locale does not apply, ignores it.
  const locale = request.locale;
  if (locale !== undefined) {
    const ignored = andPay || (billingKey && !pc);
    const shown = ignored ? ['KO_KR'] : pc ? ['KO_KR', 'EN_US', 'ZH_CN'] : ['KO_KR', 'EN_US'];
    if (!SDK_LOCALES.includes(locale as never)) fail('locale', 'locale', ['SDK의 Locale 값', 'one of the SDK\'s Locale values'], locale);
    else if (!shown.includes(locale)) {
      warnings.push(violation('locale', 'locale', ignored ? ['무시됨 (한국어 고정)', 'KO_KR (ignored here)'] : [`${shown.join(', ')} 외에는 한국어로 표시`, `${shown.join(', ')} (another is shown in Korean)`], locale));
    }
  }

  if (kind === 'payment') checkPaymentBypass(anyRequest as PaymentRequest, device, fail, (...args) => warnings.push(violation(...args)));
  if (billingKey) {
    const cardUse = request.bypass?.inicis_v2?.carduse;
    if (cardUse !== undefined && cardUse !== 'percard' && cardUse !== 'cocard') {
      fail('bypass.inicis_v2.carduse', 'card-use', ['percard 또는 cocard', 'percard or cocard'], cardUse);
    }
  }
  return { violations, warnings };
}

type Fail = (field: string, rule: InicisRule, expected: readonly [string, string], value?: unknown) => void;

/** `offerPeriod` as the SDK takes it (exactly one of `interval` and `range`), and as KG Inicis bills it. */
function isOfferPeriod(period: NonNullable<LooseRequest['offerPeriod']>, billing: boolean): boolean {
  if (typeof period !== 'object' || period === null || (period.interval === undefined) === (period.range === undefined)) return false;
  if (period.interval !== undefined) return typeof period.interval === 'string' && (billing ? BILLING_INTERVAL : INTERVAL).test(period.interval);
  const { from, to } = period.range ?? {};
  const time = (end: unknown) => (typeof end === 'string' && RFC3339.test(end) ? Date.parse(end) : Number.NaN);
  if (from === undefined && to === undefined) return false;
  if ((from !== undefined && Number.isNaN(time(from))) || (to !== undefined && Number.isNaN(time(to)))) return false;
  if (from !== undefined && to !== undefined) return time(from) < time(to);
  return !billing;
}

/**
 * Where the window opens. KG Inicis's payment windows open as an iframe or a redirect, never a
 * popup (reference §3.4: PortOne's inicis-v2 driver has iframe and redirection only; 통합인증 does
 * open popups); a redirect, which a phone always gets, needs `redirectUrl` to come back to (the SDK's
 * `redirectUrl`: "리디렉션 방식의 경우 필수로 설정해야 합니다. 대부분의 모바일 환경이 리디렉션 방식에 해당됩니다.").
 * The values themselves are checkRequest's.
 */
function checkWindow(kind: RequestKind, request: LooseRequest, device: Device, fail: Fail) {
  const type = request.windowType?.[device];
  if (type === 'POPUP' && kind !== 'identity-verification') {
    fail(`windowType.${device}`, 'window-type', ['IFRAME 또는 REDIRECTION', 'IFRAME or REDIRECTION (no popup)'], type);
  }
  if ((device === 'mobile' || type === 'REDIRECTION') && blank(request.redirectUrl)) {
    fail('redirectUrl', 'redirect-url', ['리디렉션 창이면 필수', 'a URL to return to from a redirect'], request.redirectUrl);
  }
}

/** `flgFixedUser: 'Y'`: the window is filled in with the customer, so name, phone and birth date must be there and well formed. */
function checkFixedUser(customer: NonNullable<PaymentRequest['customer']>, unnamed: boolean, fail: Fail) {
  if (unnamed) fail('customer.fullName', 'fixed-user', ['flgFixedUser가 Y이면 이름 필수', 'a name when flgFixedUser is Y'], customer.fullName);
  const missing = (['phoneNumber', 'birthYear', 'birthMonth', 'birthDay'] as const).filter((key) => blank(customer[key]));
  for (const key of missing) fail(`customer.${key}`, 'fixed-user', ['flgFixedUser가 Y이면 필수', 'a value when flgFixedUser is Y']);
  if (!missing.includes('phoneNumber') && !/^\d{9,11}$/.test(customer.phoneNumber!.replace(/-/g, ''))) {
    fail('customer.phoneNumber', 'fixed-user', ['9~11자리 숫자', '9 to 11 digits (- allowed)'], customer.phoneNumber);
  }
  if (missing.some((key) => key.startsWith('birth'))) return;
  // The SDK's formats: birthYear "1990", birthMonth "07", birthDay "08"; and a day that exists.
  const [year, month, day] = [customer.birthYear!, customer.birthMonth!, customer.birthDay!];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    fail('customer.birthYear', 'fixed-user', ['실제 생년월일 (1990, 01, 31 형식)', 'a real birth date such as 1990, 01, 31'], `${year}-${month}-${day}`);
  }
}

/**
 * `bypass.inicis_v2` for payments. An option KG Inicis's guide does not list only warns: the
 * bypass goes to KG Inicis as it is ("PG사로 그대로 bypass할 파라미터"), whose module ignores what it
 * does not know; the listed ones must be well formed.
 */
function checkPaymentBypass(request: PaymentRequest, device: Device, fail: Fail, warn: Fail) {
  const inicis = request.bypass?.inicis_v2 ?? {};
  const accept = inicis.acceptmethod ?? [];
  const reserved = inicis.P_RESERVED ?? [];
  const field = 'bypass.inicis_v2.';
  for (const entry of accept) {
    if (!ACCEPT.test(entry)) warn(`${field}acceptmethod`, 'acceptmethod', UNLISTED, entry);
    else if (entry.startsWith('SKIN') && !SKIN.test(entry)) fail(`${field}acceptmethod`, 'skin', ['SKIN(#RRGGBB) 형식', 'SKIN(#RRGGBB)'], entry);
    else if (entry.startsWith('slim') && !SLIMQUOTA.test(entry)) fail(`${field}acceptmethod`, 'slimquota', ['slimquota(코드-개월:개월^…) 형식', 'slimquota(code-m:m^code-m:m)'], entry);
    else if (entry.startsWith('mall') && !MALLPOINT.test(entry)) fail(`${field}acceptmethod`, 'mallpoint', ['mallpoint(코드:코드) 형식', 'mallpoint(code:code)'], entry);
  }
  for (const entry of reserved) {
    if (!RESERVED.includes(entry)) warn(`${field}P_RESERVED`, 'reserved', UNLISTED, entry);
  }
  // The guide restricts only the characters (its own example is "parentemail"): "\"@\", \".\" 외의 특수문자는 입력 불가합니다."
  if (inicis.parentemail !== undefined && !/^[A-Za-z0-9@.]+$/.test(inicis.parentemail)) {
    fail(`${field}parentemail`, 'parentemail', ['특수문자는 @ . 만', 'no special characters but @ and .'], inicis.parentemail);
  }
  if (inicis.Ini_SSGPAY_MDN !== undefined && !/^\d+$/.test(inicis.Ini_SSGPAY_MDN)) {
    fail(`${field}Ini_SSGPAY_MDN`, 'ssgpay-phone', ['숫자만', 'digits only'], inicis.Ini_SSGPAY_MDN);
  }
  if (inicis.P_CARD_OPTION !== undefined && !/^selcode=\d\d$/.test(inicis.P_CARD_OPTION)) {
    fail(`${field}P_CARD_OPTION`, 'card-option', ['selcode=두 자리 카드코드', 'selcode=<2-digit card code>'], inicis.P_CARD_OPTION);
  }

  // Card and easy-pay amounts under 1,000 KRW need the module's below1000 option.
  const { payMethod, totalAmount } = request;
  if ((payMethod === 'CARD' || payMethod === 'EASY_PAY') && bare(request.currency, 'CURRENCY_') === 'KRW' && Number.isInteger(totalAmount) && totalAmount < 1000) {
    const [key, flag] = device === 'pc' ? ['acceptmethod', 'below1000'] : ['P_RESERVED', 'below1000=Y'];
    if (!(device === 'pc' ? accept : reserved).includes(flag)) {
      fail(`${field}${key}`, 'below1000', [`1,000원 미만은 ${flag} 필요`, `${flag} under 1,000 KRW`], totalAmount);
    }
  }

  // Gift certificates: the type is required on mobile, and wherever set one of KG Inicis's three
  // (inicis-v2.mdx, "이니시스에서 지원하는 상품권 종류 및 필수 여부").
  if (payMethod === 'GIFT_CERTIFICATE') {
    const type = bare(request.giftCertificate?.giftCertificateType, 'GIFT_CERTIFICATE_TYPE_');
    if ((type !== undefined || device === 'mobile') && !INICIS_GIFT_CERTIFICATES.includes(type as never)) {
      fail('giftCertificate.giftCertificateType', 'gift-certificate', oneOf(INICIS_GIFT_CERTIFICATES), type);
    }
  }
  const company = bare(request.card?.cardCompany, 'CARD_COMPANY_');
  if (company !== undefined && !INICIS_CARD_COMPANIES.includes(company as never)) {
    fail('card.cardCompany', 'card-company', company === 'TOSS_BANK' ? ['토스뱅크 외', 'any card company but TOSS_BANK'] : oneOf(INICIS_CARD_COMPANIES), company);
  }
  const provider = bare(request.easyPay?.easyPayProvider, 'EASY_PAY_PROVIDER_');
  if (provider !== undefined && !INICIS_EASY_PAY_PROVIDERS.includes(provider as never)) {
    fail('easyPay.easyPayProvider', 'easy-pay-provider', oneOf(INICIS_EASY_PAY_PROVIDERS), provider);
  }
  if (request.card?.installment?.monthOption?.availableMonthList !== undefined) {
    fail('card.installment.monthOption', 'installment', ['fixedMonth만 가능', 'fixedMonth, not availableMonthList'], request.card.installment.monthOption);
  }
}

// What PortOne's checkout server checks before a KG Inicis window opens, as pure functions over
// the browser SDK request: required fields, enum values, KG Inicis's own rules (reference §5) and
// the `bypass.inicis_v2` options. A broken rule is a `CheckoutRejection` (the SDK rejects with it;
// KG Inicis's own rules add a PG-style `pgCode`/`pgMessage`); Inicis refusing inside its window
// (below1000) is a `pgError` the window then reports as FAILURE_TYPE_PG.
import type { PaymentProduct } from '@portone/server-sdk/common';
import type { Locale } from '@portone/browser-sdk/v2';
import * as input from '../input.js';
import {
  BELOW_1000_DECLINE,
  EASY_PAY_PROVIDERS,
  GIFT_CERTIFICATE_TYPES,
  SDK_CARD_CODES,
  UNSUPPORTED_CARD_COMPANIES,
  type Decline,
  type InicisEasyPayProvider,
} from '../catalog.js';
import type { IdentityAgency } from '../identity/types.js';
import type { TransactionKind, WindowMode } from './protocol.js';

export class CheckoutRejection extends Error {
  /** Set when KG Inicis itself refuses the request (one of `INICIS_RULES`). */
  readonly pgCode?: string;
  readonly pgMessage?: string;

  constructor(readonly code: string, message: string, pg?: Decline) {
    super(message);
    this.name = 'CheckoutRejection';
    if (pg) {
      this.pgCode = pg.pgCode;
      this.pgMessage = pg.pgMessage;
    }
  }
}

export const bad = (message: string) => new CheckoutRejection('BadRequest', message);

/**
 * KG Inicis's own rules (reference §5.3), each refused with a PG-style code and message. The codes
 * are the sandbox's numbering (KG Inicis does not publish its parameter-check codes); what holds is
 * that every Inicis refusal has one, stable, and carried to the SDK error's `pgCode`/`pgMessage`.
 */
export const INICIS_RULES = {
  ASCII_ID: { pgCode: 'R101', pgMessage: '주문번호에는 ASCII 출력 가능 문자만 사용할 수 있습니다.' },
  CURRENCY: { pgCode: 'R102', pgMessage: '지원하지 않는 통화입니다.' },
  BUYER_NAME: { pgCode: 'R103', pgMessage: '구매자 이름이 필요합니다.' },
  BUYER_NAME_LENGTH: { pgCode: 'R104', pgMessage: '구매자 이름은 30바이트를 넘을 수 없습니다.' },
  BUYER_PHONE: { pgCode: 'R105', pgMessage: '구매자 연락처가 필요합니다.' },
  BUYER_EMAIL: { pgCode: 'R106', pgMessage: '구매자 이메일이 필요합니다.' },
  WINDOW_TYPE: { pgCode: 'R107', pgMessage: 'KG이니시스 결제창은 IFRAME, REDIRECTION만 지원합니다.' },
  PAY_METHOD: { pgCode: 'R108', pgMessage: '지원하지 않는 결제수단입니다.' },
  PRODUCT_TYPE: { pgCode: 'R109', pgMessage: '상품 유형(productType)이 필요합니다.' },
  OFFER_PERIOD: { pgCode: 'R110', pgMessage: '모바일 정기결제에는 제공 기간(offerPeriod)이 필요합니다.' },
  OFFER_INTERVAL: { pgCode: 'R111', pgMessage: '정기결제의 제공 기간은 1m 또는 1y만 가능합니다.' },
  OFFER_RANGE: { pgCode: 'R112', pgMessage: '정기결제의 제공 기간(range)에는 from과 to가 모두 필요합니다.' },
  BILLING_KEY_METHOD: { pgCode: 'R113', pgMessage: '결제창 빌링키 발급은 카드만 지원합니다.' },
  BILLING_KEY_AND_PAY_METHOD: { pgCode: 'R114', pgMessage: '빌링키 발급 및 결제는 휴대폰(MOBILE)만 지원합니다.' },
  INSTALLMENT_LIST: { pgCode: 'R115', pgMessage: '카드 다이렉트 호출은 할부 개월 고정(fixedMonth)만 지원합니다.' },
  CARD_COMPANY: { pgCode: 'R116', pgMessage: '카드 다이렉트 호출을 지원하지 않는 카드사입니다.' },
  GIFT_CERTIFICATE_TYPE: { pgCode: 'R117', pgMessage: '모바일 상품권 결제에는 상품권 종류가 필요합니다.' },
  PARENT_EMAIL: { pgCode: 'R121', pgMessage: 'parentemail에는 "@", "." 외의 특수문자를 쓸 수 없습니다.' },
  SSGPAY_MDN: { pgCode: 'R122', pgMessage: 'Ini_SSGPAY_MDN에는 숫자만 입력할 수 있습니다.' },
  SKIN: { pgCode: 'R123', pgMessage: 'SKIN 색상은 #RRGGBB 형식이어야 합니다.' },
  SLIMQUOTA: { pgCode: 'R124', pgMessage: 'slimquota 형식은 slimquota(코드-개월:개월^…)입니다.' },
  MALLPOINT: { pgCode: 'R125', pgMessage: 'mallpoint 형식은 mallpoint(카드코드:카드코드)입니다.' },
  CARD_OPTION: { pgCode: 'R126', pgMessage: 'P_CARD_OPTION 형식은 selcode=카드코드입니다.' },
} as const satisfies Record<string, Decline>;

/** A KG Inicis rule broken: `KG이니시스 [R105] 구매자 연락처가 필요합니다. (PC) (detail)`, with pgCode/pgMessage. */
export function inicisRule(rule: Decline, detail: string, qualifier = ''): CheckoutRejection {
  const pgMessage = qualifier ? `${rule.pgMessage} ${qualifier}` : rule.pgMessage;
  return new CheckoutRejection('BadRequest', `KG이니시스 [${rule.pgCode}] ${pgMessage} (${detail})`, { pgCode: rule.pgCode, pgMessage });
}

export const INICIS_PAY_METHODS = ['CARD', 'TRANSFER', 'VIRTUAL_ACCOUNT', 'MOBILE', 'EASY_PAY', 'GIFT_CERTIFICATE'] as const;
export type InicisPayMethod = (typeof INICIS_PAY_METHODS)[number];
const SDK_PAY_METHODS = [...INICIS_PAY_METHODS, 'PAYPAL', 'ALIPAY', 'CONVENIENCE_STORE', 'ALIPAY_PLUS'] as const;

export const DEFAULT_SKIN = '#C1272C';

/** How the simulated Inicis window looks and what it allows, from the request and its bypass. */
export interface WindowConfig {
  skin: string;
  logoUrl?: string;
  logo2nd?: string;
  merchantName?: string;
  below1000: boolean;
  noEasyPay: boolean;
  /** Card code preselected (`P_CARD_OPTION selcode=…`, mobile) or called directly (`card.cardCompany`). */
  preselectedCard?: string;
  /** Card company fixed by a direct call: the shopper cannot pick another. */
  cardLocked?: boolean;
  cardUse?: 'percard' | 'cocard';
  easyPayProvider?: InicisEasyPayProvider;
  fixedInstallment?: number;
  /** What the sandbox applied or ignored, shown in the window's sandbox panel. */
  notes: string[];
}

/**
 * The SDK request's `customer` as the window reads it (strings only, `GENDER_` dropped); not the
 * contract's `CheckoutCustomer`, which is what a shop's page may send its kit.
 */
export interface WindowCustomer {
  customerId?: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  email?: string;
  zipcode?: string;
  birthYear?: string;
  birthMonth?: string;
  birthDay?: string;
  gender?: string;
}

/** How the simulated KG Inicis 통합인증 window works for one request (`bypass.inicisUnified`). */
export interface IdentityWindow {
  flgFixedUser: 'Y' | 'N';
  directAgency?: IdentityAgency;
  logoUrl?: string;
  /** `DI_CODE`: the DI's salt. */
  diCode?: string;
  frgndInfo: 'Y' | 'N';
  /** With `flgFixedUser: 'Y'`: the person the window is fixed to (birth date `yyyy-MM-dd`, phone digits). */
  fixedUser?: { name: string; phoneNumber: string; birthDate: string; gender?: 'MALE' | 'FEMALE' };
}

export interface NormalizedCheckout {
  kind: TransactionKind;
  device: 'pc' | 'mobile';
  mode: WindowMode;
  storeId: string;
  channelKey?: string;
  channelGroupId?: string;
  paymentId?: string;
  issueId?: string;
  orderName?: string;
  issueName?: string;
  totalAmount?: number;
  taxFreeAmount?: number;
  vatAmount?: number;
  displayAmount?: number;
  currency?: 'KRW' | 'USD';
  payMethod?: InicisPayMethod;
  customer: WindowCustomer;
  customData?: string;
  noticeUrls?: string[];
  /** PortOne's confirm process: the shop approves each payment at this URL first. */
  confirmUrl?: string;
  redirectUrl?: string;
  locale: 'ko' | 'en';
  products?: PaymentProduct[];
  productType?: 'REAL' | 'DIGITAL';
  isCulturalExpense?: boolean;
  isEscrow?: boolean;
  country?: string;
  promotionId?: string;
  giftCertificateType?: string;
  /** Deadline of a window-issued virtual account, when the request sets one. */
  accountExpiry?: { validHours: number } | { dueDate: number };
  window: WindowConfig;
  /** Set when KG Inicis itself refuses the request inside its window. */
  pgError?: Decline;
  /** Identity verification: its id and how its window works. */
  identityVerificationId?: string;
  identity?: IdentityWindow;
}

/** Reads a field with the generic readers, turning their failures into `BadRequest`. */
export function field<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof input.InputError) throw bad(error.message);
    throw error;
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/** Not given: absent, or only blanks (PortOne documents nothing finer; the window has nothing to show for "  "). */
const missing = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function asciiId(value: unknown, name: string): string {
  if (missing(value)) throw bad(`${name} 파라미터는 필수 입력입니다. (\`${name}\`: expected a string, got nothing)`);
  const id = field(() => input.string(value, name));
  if (!PRINTABLE_ASCII.test(id)) throw inicisRule(INICIS_RULES.ASCII_ID, `\`${name}\`: expected printable ASCII, got ${input.describe(id)}`);
  return id;
}

function required(value: unknown, name: string): string {
  if (missing(value)) throw bad(`${name} 파라미터는 필수 입력입니다. (\`${name}\`: expected a string, got nothing)`);
  return field(() => input.string(value, name));
}

const stripPrefix = (value: unknown, prefix: string): unknown => (typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : value);

function currency(value: unknown, name: string, allowed: readonly ('KRW' | 'USD')[]): 'KRW' | 'USD' {
  const c = stripPrefix(value, 'CURRENCY_');
  if (c === undefined || c === null) throw bad(`${name} 파라미터는 필수 입력입니다.`);
  if (!(allowed as readonly unknown[]).includes(c)) {
    throw inicisRule(INICIS_RULES.CURRENCY, `\`${name}\`: expected ${allowed.join(' or ')}, got ${input.describe(value)}`);
  }
  return c as 'KRW' | 'USD';
}

const CUSTOMER_FIELDS = ['customerId', 'fullName', 'firstName', 'lastName', 'phoneNumber', 'email', 'zipcode', 'birthYear', 'birthMonth', 'birthDay'] as const;

/**
 * The request's `customer` as PortOne's checkout server reads it for every window: strings, an
 * e-mail that is one (browser SDK 0.1.11 `Customer.email`: "올바른 형식의 이메일 주소여야 합니다."), a
 * `Gender` value (its `GENDER_` alias dropped); a blank field counts as not given. What KG Inicis
 * requires of it comes on top.
 */
export function windowCustomer(value: unknown): WindowCustomer {
  const raw = field(() => input.optObject(value, 'customer')) ?? {};
  const out: WindowCustomer = {};
  for (const key of CUSTOMER_FIELDS) {
    if (missing(raw[key])) continue;
    out[key] = field(() => input.string(raw[key], `customer.${key}`));
  }
  if (out.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(out.email)) throw bad(`\`customer.email\`: expected an e-mail address, got ${input.describe(out.email)}`);
  const gender = stripPrefix(raw.gender, 'GENDER_');
  if (gender !== undefined && gender !== null) out.gender = field(() => input.oneOf(gender, 'customer.gender', ['MALE', 'FEMALE', 'OTHER']));
  return out;
}

/** `customer` for a payment window: KG Inicis needs a name of at most 30 bytes, and phone and e-mail on PC (always, for billing-key-and-pay). */
function customer(value: unknown, { device, always }: { device: 'pc' | 'mobile'; always?: boolean }): WindowCustomer {
  const out = windowCustomer(value);
  if (!out.fullName && !(out.firstName && out.lastName)) {
    throw inicisRule(INICIS_RULES.BUYER_NAME, '`customer.fullName` 또는 `customer.firstName`+`customer.lastName`: expected a name, got nothing');
  }
  // KG Inicis takes the buyer's name as one field: fullName, else "lastName firstName".
  const name = out.fullName ?? `${out.lastName} ${out.firstName}`;
  const nameBytes = new TextEncoder().encode(name).length;
  if (nameBytes > 30) {
    throw inicisRule(INICIS_RULES.BUYER_NAME_LENGTH, `\`customer.${out.fullName ? 'fullName' : 'lastName` + `customer.firstName'}\`: expected at most 30 bytes of UTF-8, got ${nameBytes}`);
  }
  if (always || device === 'pc') {
    const where = always ? '' : '(PC)';
    if (!out.phoneNumber) throw inicisRule(INICIS_RULES.BUYER_PHONE, '`customer.phoneNumber`: expected a phone number, got nothing', where);
    if (!out.email) throw inicisRule(INICIS_RULES.BUYER_EMAIL, '`customer.email`: expected an e-mail address, got nothing', where);
  }
  return out;
}

/**
 * Whether `forceRedirect` applies: the result comes back by redirect even where the promise would
 * have resolved, but only with a `redirectUrl`. Without one the SDK answers by the promise as
 * before (browser SDK 0.1.11, `forceRedirect` of every request type: "`redirectUrl`이 없으면 기존처럼
 * 프로미스로 반환합니다."); it is no error.
 */
export function forcesRedirect(request: input.Json, redirectUrl: string | undefined): boolean {
  return (field(() => input.optBoolean(request.forceRedirect, 'forceRedirect')) ?? false) && redirectUrl !== undefined;
}

/**
 * The `windowType` asked for on this device. The other device's is read too, as PortOne reads the
 * whole request: a `WindowType` value, and not `UI`, which is for the SDK's loadable UIs
 * (`load*UI`), never a `request*` window (reference §3.4).
 */
export function requestedWindowType(request: input.Json, device: 'pc' | 'mobile'): 'IFRAME' | 'POPUP' | 'REDIRECTION' | 'UI' | undefined {
  const types = field(() => input.optObject(request.windowType, 'windowType')) ?? {};
  const other = device === 'pc' ? 'mobile' : 'pc';
  if (field(() => input.optOneOf(types[other], `windowType.${other}`, ['IFRAME', 'POPUP', 'REDIRECTION', 'UI'])) === 'UI') {
    throw bad(`\`windowType.${other}\`: expected IFRAME, POPUP or REDIRECTION (UI is for the SDK's loadable UIs), got "UI"`);
  }
  return field(() => input.optOneOf(types[device], `windowType.${device}`, ['IFRAME', 'POPUP', 'REDIRECTION', 'UI']));
}

/** How the window opens: an iframe on PC unless redirected; always a full-page redirect on a phone (KG Inicis mobile has no iframe window). */
function windowMode(request: input.Json, device: 'pc' | 'mobile', redirectUrl: string | undefined, notes: string[]): WindowMode {
  const requested = requestedWindowType(request, device);
  if (requested === 'POPUP' || requested === 'UI') {
    throw inicisRule(INICIS_RULES.WINDOW_TYPE, `\`windowType.${device}\`: expected IFRAME or REDIRECTION, got "${requested}"`);
  }
  if (device === 'mobile' && requested === 'IFRAME') notes.push('windowType.mobile IFRAME: KG이니시스 모바일 결제창은 리디렉션으로만 열립니다.');
  const mode: WindowMode = forcesRedirect(request, redirectUrl) || device === 'mobile' ? 'REDIRECTION' : requested ?? 'IFRAME';
  if (mode === 'REDIRECTION' && !redirectUrl) {
    throw bad(`리디렉션 방식 결제창${device === 'mobile' ? '(모바일)' : ''}에는 redirectUrl 파라미터가 필수입니다. (\`redirectUrl\`: expected an http(s) URL, got nothing)`);
  }
  return mode;
}

/** The browser SDK's `Locale` values (a `Record` over the type, so one added to the SDK fails the typecheck). */
const SDK_LOCALES: Record<Locale, true> = {
  KO_KR: true, EN_US: true, ZH_CN: true, ZH_TW: true, JA_JP: true, RU_RU: true, TH_TH: true, VI_VN: true, ID_ID: true, FR_FR: true,
  NL_NL: true, ES_ES: true, PT_PT: true, DE_DE: true, IT_IT: true, PL_PL: true, TR_TR: true, SV_SE: true, FI_FI: true, UK_UA: true,
  EL_GR: true, TL_PH: true, HI_IN: true, HR_HR: true, LT_LT: true, SL_SI: true, SR_RS: true, BG_BG: true, PT_BR: true, AR_001: true,
};

/** A `locale` the SDK accepts (else `BadRequest`, as PortOne's checkout server refuses it), as the window's language. */
function locale(value: unknown, device: 'pc' | 'mobile', notes: string[], mobileKoreanOnly = false): 'ko' | 'en' {
  if (value === undefined || value === null) return 'ko';
  if (typeof value !== 'string' || !Object.hasOwn(SDK_LOCALES, value)) {
    throw bad(`\`locale\`: expected one of the browser SDK's locales (${Object.keys(SDK_LOCALES).join(', ')}), got ${input.describe(value)}`);
  }
  if (value === 'KO_KR') return 'ko';
  if (value === 'EN_US' && !(device === 'mobile' && mobileKoreanOnly)) return 'en';
  notes.push(`locale ${String(value)}: KG이니시스 ${device === 'pc' ? 'PC' : '모바일'} 결제창에서 지원하지 않아 한국어로 표시합니다.`);
  return 'ko';
}

function offerPeriod(value: unknown, { required: isRequired, billing }: { required: boolean; billing: boolean }): void {
  if (value === undefined || value === null) {
    if (isRequired) throw inicisRule(INICIS_RULES.OFFER_PERIOD, '`offerPeriod`: expected { interval } or { range }, got nothing');
    return;
  }
  const period = field(() => input.object(value, 'offerPeriod'));
  if ((period.interval === undefined) === (period.range === undefined)) throw bad('`offerPeriod`: expected exactly one of `interval` or `range`');
  if (period.interval !== undefined) {
    const interval = field(() => input.string(period.interval, 'offerPeriod.interval'));
    if (!/^\d+[dmy]$/.test(interval)) throw bad(`\`offerPeriod.interval\`: expected a number and d, m or y (e.g. 1m), got ${input.describe(interval)}`);
    if (billing && interval !== '1m' && interval !== '1y') throw inicisRule(INICIS_RULES.OFFER_INTERVAL, `\`offerPeriod.interval\`: expected 1m or 1y, got ${input.describe(interval)}`);
    return;
  }
  const range = field(() => input.object(period.range, 'offerPeriod.range'));
  const from = range.from === undefined ? undefined : field(() => input.dateTime(range.from, 'offerPeriod.range.from'));
  const to = range.to === undefined ? undefined : field(() => input.dateTime(range.to, 'offerPeriod.range.to'));
  if (from === undefined && to === undefined) throw bad('`offerPeriod.range`: expected `from` and/or `to`, got neither');
  if (billing && (from === undefined || to === undefined)) throw inicisRule(INICIS_RULES.OFFER_RANGE, '`offerPeriod.range`: expected both `from` and `to`');
  if (from !== undefined && to !== undefined && from >= to) throw bad('`offerPeriod.range`: expected `from` before `to`');
}

function productType(value: unknown, isRequired: boolean, why: string): 'REAL' | 'DIGITAL' | undefined {
  const t = stripPrefix(value, 'PRODUCT_TYPE_');
  if (t === undefined || t === null) {
    if (isRequired) throw inicisRule(INICIS_RULES.PRODUCT_TYPE, '`productType`: expected REAL or DIGITAL, got nothing', `(${why})`);
    return undefined;
  }
  return field(() => input.oneOf(t, 'productType', ['REAL', 'DIGITAL']));
}

function products(value: unknown): PaymentProduct[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw bad(`\`products\`: expected an array, got ${input.describe(value)}`);
  return value.map((item, i) => {
    const p = field(() => input.object(item, `products[${i}]`));
    return {
      id: field(() => input.string(p.id, `products[${i}].id`)),
      name: field(() => input.string(p.name, `products[${i}].name`)),
      amount: field(() => input.integer(p.amount, `products[${i}].amount`, { min: 0 })),
      quantity: field(() => input.integer(p.quantity, `products[${i}].quantity`, { min: 1 })),
      ...(typeof p.code === 'string' ? { code: p.code } : {}),
      ...(typeof p.tag === 'string' ? { tag: p.tag } : {}),
      ...(typeof p.link === 'string' ? { link: p.link } : {}),
    };
  });
}

const SKIN = /^SKIN\((#[0-9A-Fa-f]{6})\)$/;
const SLIMQUOTA = /^slimquota\(\d{2}-\d{1,2}(:\d{1,2})*(\^\d{2}-\d{1,2}(:\d{1,2})*)*\)$/;
const MALLPOINT = /^mallpoint\(\d{2}(:\d{2})*\)$/;
const PC_FLAGS = new Set(['below1000', 'ocb', 'paypopup', 'hidebar', 'noeasypay']);
const MOBILE_RESERVED = new Set(['below1000=Y', 'noeasypay=Y', 'global_visa3d=Y', 'apprun_check=Y']);

/** `bypass.inicis_v2` for payments: validated on both devices, applied where KG Inicis applies it. */
function paymentBypass(value: unknown, device: 'pc' | 'mobile', config: WindowConfig): void {
  const bypass = field(() => input.optObject(value, 'bypass'));
  const inicis = field(() => input.optObject(bypass?.inicis_v2, 'bypass.inicis_v2'));
  if (!inicis) return;
  const pc = device === 'pc';
  const ignored = (key: string) => config.notes.push(`${key}: ${pc ? '모바일' : 'PC'} 전용 옵션이라 이 결제창에서는 적용되지 않습니다.`);

  const logoUrl = field(() => input.optString(inicis.logo_url, 'bypass.inicis_v2.logo_url'));
  const logo2nd = field(() => input.optString(inicis.logo_2nd, 'bypass.inicis_v2.logo_2nd'));
  if (logoUrl) pc ? (config.logoUrl = logoUrl) : ignored('logo_url');
  if (logo2nd) pc ? (config.logo2nd = logo2nd) : ignored('logo_2nd');
  const parentEmail = field(() => input.optString(inicis.parentemail, 'bypass.inicis_v2.parentemail'));
  if (parentEmail !== undefined) {
    if (!/^[A-Za-z0-9@.]+$/.test(parentEmail)) throw inicisRule(INICIS_RULES.PARENT_EMAIL, `\`bypass.inicis_v2.parentemail\`: got ${input.describe(parentEmail)}`);
    if (!pc) ignored('parentemail');
  }
  const ssgpay = field(() => input.optString(inicis.Ini_SSGPAY_MDN, 'bypass.inicis_v2.Ini_SSGPAY_MDN'));
  if (ssgpay !== undefined) {
    if (!/^\d+$/.test(ssgpay)) throw inicisRule(INICIS_RULES.SSGPAY_MDN, `\`bypass.inicis_v2.Ini_SSGPAY_MDN\`: got ${input.describe(ssgpay)}`);
    if (!pc) ignored('Ini_SSGPAY_MDN');
  }
  const acceptmethod = field(() => input.optStringArray(inicis.acceptmethod, 'bypass.inicis_v2.acceptmethod')) ?? [];
  for (const option of acceptmethod) {
    const skin = SKIN.exec(option);
    if (option.startsWith('SKIN')) {
      if (!skin) throw inicisRule(INICIS_RULES.SKIN, `\`bypass.inicis_v2.acceptmethod\`: expected SKIN(#RRGGBB), got ${input.describe(option)}`);
      if (pc) config.skin = skin[1]!.toUpperCase();
    } else if (option.startsWith('slimquota')) {
      if (!SLIMQUOTA.test(option)) throw inicisRule(INICIS_RULES.SLIMQUOTA, `\`bypass.inicis_v2.acceptmethod\`: got ${input.describe(option)}`);
    } else if (option.startsWith('mallpoint')) {
      if (!MALLPOINT.test(option)) throw inicisRule(INICIS_RULES.MALLPOINT, `\`bypass.inicis_v2.acceptmethod\`: got ${input.describe(option)}`);
    } else if (!PC_FLAGS.has(option)) {
      config.notes.push(`acceptmethod ${option}: 알 수 없는 옵션이라 무시합니다.`);
      continue;
    }
    if (!pc) {
      ignored(`acceptmethod ${option}`);
      continue;
    }
    if (option === 'below1000') config.below1000 = true;
    if (option === 'noeasypay') config.noEasyPay = true;
    config.notes.push(`acceptmethod ${option} 적용`);
  }
  const cardOption = field(() => input.optString(inicis.P_CARD_OPTION, 'bypass.inicis_v2.P_CARD_OPTION'));
  if (cardOption !== undefined) {
    const match = /^selcode=(\d{2})$/.exec(cardOption);
    if (!match) throw inicisRule(INICIS_RULES.CARD_OPTION, `\`bypass.inicis_v2.P_CARD_OPTION\`: got ${input.describe(cardOption)}`);
    if (pc) ignored('P_CARD_OPTION');
    else if (!config.cardLocked) {
      config.preselectedCard = match[1];
      config.notes.push(`P_CARD_OPTION selcode=${match[1]} 적용 (카드 우선 선택)`);
    }
  }
  const merchantName = field(() => input.optString(inicis.P_MNAME, 'bypass.inicis_v2.P_MNAME'));
  if (merchantName) pc ? ignored('P_MNAME') : (config.merchantName = merchantName);
  const reserved = field(() => input.optStringArray(inicis.P_RESERVED, 'bypass.inicis_v2.P_RESERVED')) ?? [];
  for (const option of reserved) {
    if (!MOBILE_RESERVED.has(option)) {
      config.notes.push(`P_RESERVED ${option}: 알 수 없는 옵션이라 무시합니다.`);
      continue;
    }
    if (pc) {
      ignored(`P_RESERVED ${option}`);
      continue;
    }
    if (option === 'below1000=Y') config.below1000 = true;
    if (option === 'noeasypay=Y') config.noEasyPay = true;
    config.notes.push(`P_RESERVED ${option} 적용`);
  }
}

function common(request: input.Json, device: 'pc' | 'mobile', notes: string[]) {
  const storeId = required(request.storeId, 'storeId');
  const channelKey = field(() => input.optString(request.channelKey, 'channelKey'));
  const channelGroupId = field(() => input.optString(request.channelGroupId, 'channelGroupId'));
  if (!channelKey && !channelGroupId) throw bad('channelKey 파라미터는 필수 입력입니다. (`channelKey`: expected a channel key, got nothing)');
  const redirectUrl = request.redirectUrl === undefined || request.redirectUrl === null ? undefined : field(() => input.httpUrl(request.redirectUrl, 'redirectUrl'));
  const mode = windowMode(request, device, redirectUrl, notes);
  const noticeUrls = field(() => input.optHttpUrls(request.noticeUrls, 'noticeUrls'));
  // An object here (the SDK's `Record<string, any>`); identity verification takes a string instead.
  const data = field(() => input.optObject(request.customData, 'customData'));
  const customData = data === undefined ? undefined : JSON.stringify(data);
  const appScheme = field(() => input.optString(request.appScheme, 'appScheme'));
  if (appScheme) notes.push('appScheme: 샌드박스 결제창은 앱 전환이 없어 사용하지 않습니다.');
  return {
    storeId,
    ...(channelKey ? { channelKey } : {}),
    ...(channelGroupId ? { channelGroupId } : {}),
    ...(redirectUrl ? { redirectUrl } : {}),
    mode,
    ...(noticeUrls ? { noticeUrls } : {}),
    ...(customData !== undefined ? { customData } : {}),
  };
}

function amounts(request: input.Json) {
  if (request.totalAmount === undefined || request.totalAmount === null) throw bad('totalAmount 파라미터는 필수 입력입니다. (`totalAmount`: expected a positive integer, got nothing)');
  const totalAmount = field(() => input.integer(request.totalAmount, 'totalAmount', { min: 1 }));
  const taxFreeAmount = field(() => input.optInteger(request.taxFreeAmount, 'taxFreeAmount', { min: 0 }));
  const vatAmount = field(() => input.optInteger(request.vatAmount, 'vatAmount', { min: 0 }));
  if ((taxFreeAmount ?? 0) + (vatAmount ?? 0) > totalAmount) {
    throw bad(`\`taxFreeAmount\` + \`vatAmount\` (${(taxFreeAmount ?? 0) + (vatAmount ?? 0)}) must not exceed \`totalAmount\` (${totalAmount})`);
  }
  return { totalAmount, ...(taxFreeAmount !== undefined ? { taxFreeAmount } : {}), ...(vatAmount !== undefined ? { vatAmount } : {}) };
}

export function baseConfig(): WindowConfig {
  return { skin: DEFAULT_SKIN, below1000: false, noEasyPay: false, notes: [] };
}

/** `requestPayment` as PortOne's checkout server and KG Inicis see it. */
export function normalizePayment(raw: unknown, device: 'pc' | 'mobile'): NormalizedCheckout {
  if (raw === undefined || raw === null) throw bad('결제요청 파라메터가 누락되었습니다.');
  const request = field(() => input.object(raw, 'request'));
  const config = baseConfig();
  const base = common(request, device, config.notes);
  const paymentId = asciiId(request.paymentId, 'paymentId');
  const confirmUrl = request.confirmUrl === undefined || request.confirmUrl === null ? undefined : field(() => input.httpUrl(request.confirmUrl, 'confirmUrl'));
  const orderName = required(request.orderName, 'orderName');
  if (new TextEncoder().encode(orderName).length > 40) config.notes.push('orderName이 40바이트를 넘어 KG이니시스 결제창에는 37바이트 + "..."로 잘려 표시됩니다.');
  const amount = amounts(request);
  if (request.payMethod === undefined || request.payMethod === null) throw bad('payMethod 파라미터는 필수 입력입니다. (`payMethod`: expected CARD, TRANSFER, VIRTUAL_ACCOUNT, MOBILE, EASY_PAY or GIFT_CERTIFICATE, got nothing)');
  const sdkMethod = field(() => input.oneOf(request.payMethod, 'payMethod', SDK_PAY_METHODS));
  if (!(INICIS_PAY_METHODS as readonly string[]).includes(sdkMethod)) {
    throw inicisRule(INICIS_RULES.PAY_METHOD, `\`payMethod\`: expected one of ${INICIS_PAY_METHODS.join(', ')}, got "${sdkMethod}"`, `(${sdkMethod})`);
  }
  const payMethod = sdkMethod as InicisPayMethod;
  const cur = currency(request.currency, 'currency', payMethod === 'CARD' ? ['KRW', 'USD'] : ['KRW']);
  const buyer = customer(request.customer, { device });
  const type = productType(request.productType, payMethod === 'MOBILE', '휴대폰 소액결제');
  offerPeriod(request.offerPeriod, { required: false, billing: false });

  const card = field(() => input.optObject(request.card, 'card'));
  if (card) {
    const installment = field(() => input.optObject(card.installment, 'card.installment'));
    const monthOption = field(() => input.optObject(installment?.monthOption, 'card.installment.monthOption'));
    if (monthOption?.availableMonthList !== undefined) throw inicisRule(INICIS_RULES.INSTALLMENT_LIST, '`card.installment.monthOption.availableMonthList`: not supported; use `fixedMonth`');
    const fixed = field(() => input.optInteger(monthOption?.fixedMonth, 'card.installment.monthOption.fixedMonth', { min: 0 }));
    if (fixed !== undefined) config.fixedInstallment = fixed;
    const company = stripPrefix(card.cardCompany, 'CARD_COMPANY_');
    if (company !== undefined && company !== null) {
      const offered = Object.keys(SDK_CARD_CODES);
      if ((UNSUPPORTED_CARD_COMPANIES as readonly unknown[]).includes(company)) {
        throw inicisRule(INICIS_RULES.CARD_COMPANY, `\`card.cardCompany\`: KG Inicis offers every card company but ${UNSUPPORTED_CARD_COMPANIES.join(', ')}; got ${input.describe(card.cardCompany)}`);
      }
      const code = field(() => SDK_CARD_CODES[input.oneOf(company, 'card.cardCompany', offered) as keyof typeof SDK_CARD_CODES]);
      config.preselectedCard = code;
      config.cardLocked = true;
    }
    for (const ignoredKey of ['useAppCardOnly', 'useInstallment', 'useFreeInterestFromMall']) {
      if (card[ignoredKey] !== undefined) config.notes.push(`card.${ignoredKey}: KG이니시스에서는 무시됩니다.`);
    }
  }
  const easyPay = field(() => input.optObject(request.easyPay, 'easyPay'));
  if (easyPay?.easyPayProvider !== undefined) {
    const provider = stripPrefix(easyPay.easyPayProvider, 'EASY_PAY_PROVIDER_');
    config.easyPayProvider = field(() => input.oneOf(provider, 'easyPay.easyPayProvider', EASY_PAY_PROVIDERS));
  }
  let giftCertificateType: string | undefined;
  if (payMethod === 'GIFT_CERTIFICATE') {
    const gift = field(() => input.optObject(request.giftCertificate, 'giftCertificate'));
    const giftType = stripPrefix(gift?.giftCertificateType, 'GIFT_CERTIFICATE_TYPE_');
    if (giftType === undefined || giftType === null) {
      if (device === 'mobile') throw inicisRule(INICIS_RULES.GIFT_CERTIFICATE_TYPE, '`giftCertificate.giftCertificateType`: expected BOOKNLIFE, SMART_MUNSANG or CULTURELAND, got nothing');
    } else giftCertificateType = field(() => input.oneOf(giftType, 'giftCertificate.giftCertificateType', GIFT_CERTIFICATE_TYPES));
  }
  let accountExpiry: NormalizedCheckout['accountExpiry'];
  const va = field(() => input.optObject(request.virtualAccount, 'virtualAccount'));
  if (va) {
    const expiry = field(() => input.optObject(va.accountExpiry, 'virtualAccount.accountExpiry'));
    if (expiry?.validHours !== undefined) accountExpiry = { validHours: field(() => input.integer(expiry.validHours, 'virtualAccount.accountExpiry.validHours', { min: 1, max: input.MAX_VALID_HOURS })) };
    else if (expiry?.dueDate !== undefined) {
      const text = field(() => input.string(expiry.dueDate, 'virtualAccount.accountExpiry.dueDate'));
      const due = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59+09:00` : text);
      if (Number.isNaN(due)) throw bad(`\`virtualAccount.accountExpiry.dueDate\`: expected a date or date-time, got ${input.describe(text)}`);
      accountExpiry = { dueDate: due };
    }
    if (va.bankCode !== undefined) config.notes.push('virtualAccount.bankCode: KG이니시스에서는 무시되고 결제창에서 은행을 고릅니다.');
  }
  paymentBypass(request.bypass, device, config);
  const loc = locale(request.locale, device, config.notes);
  const pgError = (payMethod === 'CARD' || payMethod === 'EASY_PAY') && cur === 'KRW' && amount.totalAmount < 1000 && !config.below1000 ? BELOW_1000_DECLINE : undefined;
  return {
    kind: 'PAYMENT',
    device,
    ...base,
    paymentId,
    orderName,
    ...amount,
    currency: cur,
    payMethod,
    customer: buyer,
    locale: loc,
    ...(type ? { productType: type } : {}),
    ...optionalPaymentFields(request),
    ...(giftCertificateType ? { giftCertificateType } : {}),
    ...(accountExpiry ? { accountExpiry } : {}),
    window: config,
    ...(confirmUrl ? { confirmUrl } : {}),
    ...(pgError ? { pgError } : {}),
  };
}

function optionalPaymentFields(request: input.Json) {
  const list = products(request.products);
  const isCulturalExpense = field(() => input.optBoolean(request.isCulturalExpense, 'isCulturalExpense'));
  const isEscrow = field(() => input.optBoolean(request.isEscrow, 'isEscrow'));
  const country = stripPrefix(request.country, 'COUNTRY_');
  const promotionId = field(() => input.optString(request.promotionId, 'promotionId'));
  return {
    ...(list ? { products: list } : {}),
    ...(isCulturalExpense !== undefined ? { isCulturalExpense } : {}),
    ...(isEscrow ? { isEscrow } : {}),
    ...(typeof country === 'string' ? { country } : {}),
    ...(promotionId ? { promotionId } : {}),
  };
}

/** `requestIssueBillingKey` (KG Inicis: cards only, issueId and issueName required). */
export function normalizeIssueBillingKey(raw: unknown, device: 'pc' | 'mobile'): NormalizedCheckout {
  if (raw === undefined || raw === null) throw bad('빌링키 발급 요청 파라메터가 누락되었습니다.');
  const request = field(() => input.object(raw, 'request'));
  const config = baseConfig();
  const base = common(request, device, config.notes);
  if (request.billingKeyMethod !== 'CARD') {
    throw inicisRule(INICIS_RULES.BILLING_KEY_METHOD, `\`billingKeyMethod\`: expected "CARD", got ${input.describe(request.billingKeyMethod)}`);
  }
  const issueId = asciiId(request.issueId, 'issueId');
  const issueName = required(request.issueName, 'issueName');
  const buyer = customer(request.customer, { device });
  offerPeriod(request.offerPeriod, { required: device === 'mobile', billing: true });
  // KG Inicis's card billing key does not use it, but PortOne still reads the SDK's `ProductType`.
  productType(request.productType, false, '');
  const displayAmount = field(() => input.optInteger(request.displayAmount, 'displayAmount', { min: 0 }));
  const cur = request.currency === undefined || request.currency === null ? undefined : currency(request.currency, 'currency', device === 'pc' ? ['KRW', 'USD'] : ['KRW']);
  const loc = locale(request.locale, device, config.notes, true);
  const bypass = field(() => input.optObject(request.bypass, 'bypass'));
  const inicis = field(() => input.optObject(bypass?.inicis_v2, 'bypass.inicis_v2'));
  if (inicis?.carduse !== undefined) {
    const use = field(() => input.oneOf(inicis.carduse, 'bypass.inicis_v2.carduse', ['percard', 'cocard']));
    if (device === 'mobile') {
      config.cardUse = use;
      config.notes.push(`carduse ${use} 적용 (${use === 'percard' ? '개인카드만' : '법인카드만'})`);
    } else config.notes.push('carduse: 모바일 전용 옵션이라 이 결제창에서는 적용되지 않습니다.');
  }
  const card = field(() => input.optObject(request.card, 'card'));
  if (card?.cardCompany !== undefined) config.notes.push('card.cardCompany: KG이니시스 빌링키 발급에서는 무시됩니다.');
  return {
    kind: 'ISSUE_BILLING_KEY',
    device,
    ...base,
    issueId,
    issueName,
    customer: buyer,
    locale: loc,
    ...(displayAmount !== undefined ? { displayAmount } : {}),
    ...(cur ? { currency: cur } : {}),
    window: config,
  };
}

/** `requestIssueBillingKeyAndPay` (KG Inicis: mobile phone only). */
export function normalizeIssueBillingKeyAndPay(raw: unknown, device: 'pc' | 'mobile'): NormalizedCheckout {
  if (raw === undefined || raw === null) throw bad('빌링키 발급 및 결제 요청 파라메터가 누락되었습니다.');
  const request = field(() => input.object(raw, 'request'));
  const config = baseConfig();
  const base = common(request, device, config.notes);
  if (request.billingKeyAndPayMethod !== 'MOBILE') {
    const hint = request.billingKeyAndPayMethod === 'PHONE' ? ' (the KG Inicis guide says PHONE, but the SDK value is MOBILE)' : '';
    throw inicisRule(INICIS_RULES.BILLING_KEY_AND_PAY_METHOD, `\`billingKeyAndPayMethod\`: expected "MOBILE", got ${input.describe(request.billingKeyAndPayMethod)}${hint}`);
  }
  const paymentId = asciiId(request.paymentId, 'paymentId');
  const orderName = required(request.orderName, 'orderName');
  const amount = amounts(request);
  const cur = currency(request.currency, 'currency', ['KRW']);
  const buyer = customer(request.customer, { device, always: true });
  const type = productType(request.productType, true, '휴대폰 빌링키 발급 및 결제');
  offerPeriod(request.offerPeriod, { required: device === 'mobile', billing: true });
  if (request.locale !== undefined && request.locale !== null) {
    locale(request.locale, device, []);
    config.notes.push('locale: KG이니시스 휴대폰 빌링 결제창에서는 무시됩니다.');
  }
  const mobile = field(() => input.optObject(request.mobile, 'mobile'));
  if (mobile?.carrier !== undefined || mobile?.availableCarriers !== undefined || mobile?.avaliableCarriers !== undefined) config.notes.push('mobile.carrier / availableCarriers: KG이니시스에서는 무시됩니다.');
  const bypass = field(() => input.optObject(request.bypass, 'bypass'));
  if (bypass?.inicis_v2 !== undefined) config.notes.push('bypass.inicis_v2: requestIssueBillingKeyAndPay에는 KG이니시스 bypass가 없어 무시됩니다.');
  return {
    kind: 'ISSUE_BILLING_KEY_AND_PAY',
    device,
    ...base,
    paymentId,
    orderName,
    ...amount,
    currency: cur,
    payMethod: 'MOBILE',
    customer: buyer,
    locale: 'ko',
    ...(type ? { productType: type } : {}),
    ...optionalPaymentFields(request),
    window: config,
  };
}

// Builds the exact request each SDK function receives from the elements' attribute values, the
// server's prepare answer and the page's overrides, and checks what is not KG Inicis-specific.
// Pure: no DOM, no I/O.
import type {
  Customer,
  IdentityVerificationRequest,
  InicisUnifiedIdentityVerificationBypass,
  InicisV2Bypass,
  InicisV2IssueBillingKeyBypass,
  IssueBillingKeyAndPayRequest,
  IssueBillingKeyRequest,
  OfferPeriod,
  PaymentRequest,
} from './portone-types.js';
import type { CartItem, CheckoutCustomer, PreparedBillingKey, PreparedBillingKeyAndPay, PreparedIdentityVerification, PreparedPayment } from '../contract.js';
import { buildInicisBillingKeyBypass, buildInicisBypass, buildInicisUnifiedBypass, compact, INICIS_FLAGS, words, type InicisOptions, type InicisUnifiedOptions } from '../inicis/bypass.js';
import type { RequestKind, RequestOf } from '../inicis/rules.js';
import { oneOf, violation, type Violation } from '../inicis/violation.js';

export type { RequestKind, RequestOf };

export type AnyCheckoutRequest = RequestOf[RequestKind];

/** A built request and the problems found while reading the attributes. */
export interface Built<R> {
  request: R;
  violations: Violation[];
}

/** The `customer*` attribute values every element has. */
export interface CustomerFields {
  customerId?: string | undefined;
  customerName?: string | undefined;
  customerFirstName?: string | undefined;
  customerLastName?: string | undefined;
  customerPhone?: string | undefined;
  customerEmail?: string | undefined;
  /** Merged over the `customer*` attributes. */
  customer?: Customer | undefined;
}

/** Attribute values every element has, identity verification's included. */
export interface WindowFields extends CustomerFields {
  storeId?: string | undefined;
  channelKey?: string | undefined;
  redirectUrl?: string | undefined;
  forceRedirect?: boolean | undefined;
  windowTypePc?: string | undefined;
  windowTypeMobile?: string | undefined;
  customData?: string | Record<string, unknown> | undefined;
}

/** Attribute values of the three elements that open a payment window. */
export interface CommonFields extends WindowFields {
  currency?: string | undefined;
  locale?: string | undefined;
  noticeUrls?: string | readonly string[] | undefined;
  offerPeriod?: string | OfferPeriod | undefined;
  productType?: string | undefined;
}

/** Attribute values of the two buttons that take money. */
export interface OrderFields extends CommonFields {
  paymentId?: string | undefined;
  orderName?: string | undefined;
  totalAmount?: number | undefined;
  taxFreeAmount?: number | undefined;
  vatAmount?: number | undefined;
}

export interface PaymentFields extends OrderFields {
  payMethod?: string | undefined;
  /** PortOne's confirm process: where PortOne asks the shop before it approves. */
  confirmUrl?: string | undefined;
  /** The element's `.inicis`: a raw `bypass.inicis_v2`, merged over the `inicis-*` options. */
  inicis?: InicisV2Bypass | undefined;
}

export interface BillingKeyFields extends CommonFields {
  issueId?: string | undefined;
  issueName?: string | undefined;
  billingKeyMethod?: string | undefined;
  displayAmount?: number | undefined;
  inicisCardUse?: string | undefined;
  /** The element's `.inicis`, merged over `inicisCardUse`. */
  inicis?: InicisV2IssueBillingKeyBypass | undefined;
}

export interface BillingKeyAndPayFields extends OrderFields {
  /** `MOBILE`; KG Inicis's guide says `PHONE`, which is sent as `MOBILE`. */
  billingKeyAndPayMethod?: string | undefined;
}

export interface IdentityVerificationFields extends WindowFields {
  identityVerificationId?: string | undefined;
  /** `YYYY-MM-DD`, sent as `customer.birthYear`, `birthMonth` and `birthDay`. */
  customerBirthDate?: string | undefined;
  inicisFixedUser?: boolean | undefined;
  inicisDirectAgency?: string | undefined;
  inicisLogoUrl?: string | undefined;
  /** The element's `.inicis`: a raw `bypass.inicisUnified`, merged over the `inicis-*` options. */
  inicis?: Partial<InicisUnifiedIdentityVerificationBypass> | undefined;
}

/** Window types a request may ask for (the SDK's `UI` belongs to its loadable UIs, not to these windows). */
export const WINDOW_TYPES = ['IFRAME', 'POPUP', 'REDIRECTION'] as const;


/**
 * `offer-period`: an interval (`1m`, `1y`, `30d`) or an ISO 8601-style range `from/to`
 * (either end may be left out: `2025-01-01/`, `/2025-12-31`). The SDK takes RFC 3339 date-times
 * (its examples: `2023-01-01T00:00:00+09:00`), so a date alone is that whole day in Korea: `from`
 * at 00:00:00, `to` at 23:59:59, `+09:00`.
 */
export function parseOfferPeriod(text: string): OfferPeriod | undefined {
  const value = text.trim();
  if (/^\d+[dmy]$/.test(value)) return { interval: value };
  const parts = value.split('/');
  const day = (end: string, time: string) => (/^\d{4}-\d{2}-\d{2}$/.test(end.trim()) ? `${end.trim()}T${time}+09:00` : end.trim());
  // `compact` drops an empty end; both empty leaves no range.
  const range = parts.length === 2 ? compact({ from: day(parts[0]!, '00:00:00'), to: day(parts[1]!, '23:59:59') }) : undefined;
  return range && ({ range } as OfferPeriod);
}

/** Parses a JSON attribute; on bad JSON records a violation naming `field` and returns `undefined`. */
export function parseJson(field: string, text: string, expected: readonly [string, string], violations: Violation[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    violations.push(violation(field, 'json', expected, text));
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `customer`: the `customer*` attributes, with the `.customer` object merged over them. */
export function buildCustomer(f: CustomerFields): Customer | undefined {
  return compact<Customer>({
    customerId: f.customerId,
    fullName: f.customerName,
    firstName: f.customerFirstName,
    lastName: f.customerLastName,
    phoneNumber: f.customerPhone,
    email: f.customerEmail,
    ...compact(f.customer ?? {}),
  });
}

/** Keys all three SDK requests share, typed so a wrong field or value fails the typecheck. */
type CommonKey = 'storeId' | 'channelKey' | 'customer' | 'windowType' | 'redirectUrl' | 'forceRedirect' | 'locale' | 'noticeUrls' | 'offerPeriod' | 'productType' | 'customData';
type CommonRequest = Pick<PaymentRequest, CommonKey> & Pick<IssueBillingKeyRequest, CommonKey> & Pick<IssueBillingKeyAndPayRequest, CommonKey>;
type OrderKey = 'paymentId' | 'orderName' | 'totalAmount' | 'taxFreeAmount' | 'vatAmount' | 'currency';
type OrderRequest = Pick<PaymentRequest, OrderKey> & Pick<IssueBillingKeyAndPayRequest, OrderKey>;

/** `windowType` from the two attributes. */
const windowTypes = (f: WindowFields) => compact({ pc: f.windowTypePc, mobile: f.windowTypeMobile }) as PaymentRequest['windowType'];

function buildCommon(f: CommonFields, violations: Violation[]): CommonRequest {
  // An empty attribute means unset.
  let offerPeriod = f.offerPeriod || undefined;
  if (typeof offerPeriod === 'string') {
    offerPeriod = parseOfferPeriod(offerPeriod);
    if (!offerPeriod) violations.push(violation('offerPeriod', 'offer-period-format', ['1m 같은 간격 또는 from/to 기간', 'an interval like 1m or a range from/to'], f.offerPeriod));
  }
  let customData = f.customData || undefined;
  if (typeof customData === 'string') {
    customData = parseJson('customData', customData, ['JSON 객체', 'a JSON object'], violations) as Record<string, unknown> | undefined;
  }
  const common: CommonRequest = {
    storeId: f.storeId ?? '',
    channelKey: f.channelKey,
    customer: buildCustomer(f),
    windowType: windowTypes(f),
    redirectUrl: f.redirectUrl,
    forceRedirect: f.forceRedirect || undefined,
    locale: f.locale as PaymentRequest['locale'],
    // An empty list is left out with the other unset values.
    noticeUrls: words(f.noticeUrls),
    offerPeriod,
    productType: f.productType as PaymentRequest['productType'],
    customData: customData as CommonRequest['customData'],
  };
  return compact(common)!;
}

function buildOrder(f: OrderFields): OrderRequest {
  return {
    paymentId: f.paymentId ?? '',
    orderName: f.orderName ?? '',
    totalAmount: f.totalAmount ?? Number.NaN,
    taxFreeAmount: f.taxFreeAmount,
    vatAmount: f.vatAmount,
    currency: (f.currency ?? 'KRW') as OrderRequest['currency'],
  };
}

export function buildPaymentRequest(f: PaymentFields, options: InicisOptions = {}): Built<PaymentRequest> {
  const violations: Violation[] = [];
  // The attribute's flags are the element's words: one it does not know is a mistake here, though
  // KG Inicis would only ignore it in `acceptmethod` (the rules warn of that).
  for (const flag of words(options.options)) {
    if (!Object.hasOwn(INICIS_FLAGS, flag)) violations.push(violation('bypass.inicis_v2.acceptmethod', 'acceptmethod', oneOf(Object.keys(INICIS_FLAGS)), flag));
  }
  const inicis = buildInicisBypass(options, f.inicis);
  const request: PaymentRequest = {
    ...buildCommon(f, violations),
    ...buildOrder(f),
    payMethod: (f.payMethod ?? 'CARD') as PaymentRequest['payMethod'],
    confirmUrl: f.confirmUrl || undefined,
    bypass: inicis && { inicis_v2: inicis },
  };
  return { request: compact(request)!, violations };
}

export function buildBillingKeyRequest(f: BillingKeyFields): Built<IssueBillingKeyRequest> {
  const violations: Violation[] = [];
  const inicis = buildInicisBillingKeyBypass(f.inicisCardUse, f.inicis);
  const request: IssueBillingKeyRequest = {
    ...buildCommon(f, violations),
    issueId: f.issueId,
    issueName: f.issueName,
    billingKeyMethod: (f.billingKeyMethod ?? 'CARD') as IssueBillingKeyRequest['billingKeyMethod'],
    displayAmount: f.displayAmount,
    currency: f.currency as IssueBillingKeyRequest['currency'],
    bypass: inicis && { inicis_v2: inicis },
  };
  return { request: compact(request)!, violations };
}

export function buildBillingKeyAndPayRequest(f: BillingKeyAndPayFields): Built<IssueBillingKeyAndPayRequest> {
  const violations: Violation[] = [];
  const method = f.billingKeyAndPayMethod ?? 'MOBILE';
  const request: IssueBillingKeyAndPayRequest = {
    ...buildCommon(f, violations),
    ...buildOrder(f),
    billingKeyAndPayMethod: (method === 'PHONE' ? 'MOBILE' : method) as IssueBillingKeyAndPayRequest['billingKeyAndPayMethod'],
  };
  return { request: compact(request)!, violations };
}

const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function buildIdentityVerificationRequest(f: IdentityVerificationFields, options: InicisUnifiedOptions = {}): Built<IdentityVerificationRequest> {
  const violations: Violation[] = [];
  const birthDate = f.customerBirthDate?.trim();
  const birth = birthDate ? BIRTH_DATE.exec(birthDate) : undefined;
  if (birth === null) violations.push(violation('customerBirthDate', 'birth-date', ['YYYY-MM-DD', 'a date as YYYY-MM-DD'], birthDate));
  // The SDK takes customData as a string here: an attribute's text as it is, an object as JSON.
  const customData = f.customData || undefined;
  const request: IdentityVerificationRequest = {
    storeId: f.storeId ?? '',
    identityVerificationId: f.identityVerificationId ?? '',
    channelKey: f.channelKey,
    // `.customer` (in buildCustomer) is merged over the birth date attribute too.
    customer: compact({ ...(birth && { birthYear: birth[1], birthMonth: birth[2], birthDay: birth[3] }), ...buildCustomer(f) }),
    windowType: windowTypes(f),
    redirectUrl: f.redirectUrl,
    forceRedirect: f.forceRedirect || undefined,
    customData: typeof customData === 'object' ? JSON.stringify(customData) : customData,
    bypass: { inicisUnified: buildInicisUnifiedBypass(options, f.inicis) },
  };
  return { request: compact(request)!, violations };
}

/**
 * `request` with KG Inicis's alias replaced by the SDK's value: the guide's `PHONE` for
 * `billingKeyAndPayMethod` is sent as `MOBILE`, wherever it was set (attribute, `.request` or a
 * `portone-request` listener).
 */
export function withAliases<R extends object>(request: R): R {
  return (request as { billingKeyAndPayMethod?: string }).billingKeyAndPayMethod === 'PHONE' ? { ...request, billingKeyAndPayMethod: 'MOBILE' } : request;
}

/** `base` with `override`'s defined keys over it (shallow: a key replaces the whole value). */
export function mergeRequest<R extends object>(base: R, override: Partial<R> | undefined): R {
  return { ...base, ...compact(override ?? {}) };
}

/** What every prepare answer may decide besides the attempt's id and amounts. */
function decidedByKit(p: Partial<PreparedBillingKey & PreparedBillingKeyAndPay & PreparedPayment>) {
  const decided: Partial<PaymentRequest> & Partial<IssueBillingKeyRequest> & Partial<IssueBillingKeyAndPayRequest> = {
    storeId: p.storeId,
    channelKey: p.channelKey,
    customData: p.customData,
    noticeUrls: p.noticeUrls,
    confirmUrl: p.confirmUrl,
    offerPeriod: p.offerPeriodInterval === undefined ? undefined : { interval: p.offerPeriodInterval },
  };
  return compact(decided);
}

/**
 * A payment or billing-key-and-pay request with what the kit's prepare answer decides. The answer
 * wins over the page, and the money fields are copied even when absent, so a page-set amount can
 * never survive: money never comes from the browser.
 */
export function applyPreparedOrder<R extends PaymentRequest | IssueBillingKeyAndPayRequest>(
  request: R,
  prepared: PreparedPayment | PreparedBillingKeyAndPay,
): R {
  const money: OrderRequest & Pick<IssueBillingKeyAndPayRequest, 'productType'> = {
    paymentId: prepared.paymentId,
    orderName: prepared.orderName,
    totalAmount: prepared.totalAmount,
    currency: prepared.currency,
    taxFreeAmount: prepared.taxFreeAmount,
    vatAmount: prepared.vatAmount,
    productType: (prepared as PreparedBillingKeyAndPay).productType ?? request.productType,
  };
  return compact({ ...request, ...decidedByKit(prepared), customer: compact({ ...request.customer, ...prepared.customer }), ...money })!;
}

/** A billing-key request with what the kit's prepare answer decides (id, title, display amount). */
export function applyPreparedBillingKey(request: IssueBillingKeyRequest, p: PreparedBillingKey): IssueBillingKeyRequest {
  const decided: Partial<IssueBillingKeyRequest> = {
    issueId: p.issueId,
    issueName: p.issueName,
    displayAmount: p.displayAmount,
    currency: p.currency,
    customer: compact({ ...request.customer, ...p.customer }),
  };
  return compact({ ...request, ...decidedByKit(p), ...compact(decided) })!;
}

/** An identity verification with what the kit's prepare answer decides (id, store, channel, customer, `customData` as JSON). */
export function applyPreparedIdentityVerification(request: IdentityVerificationRequest, p: PreparedIdentityVerification): IdentityVerificationRequest {
  const decided: Partial<IdentityVerificationRequest> = {
    identityVerificationId: p.identityVerificationId,
    storeId: p.storeId,
    channelKey: p.channelKey,
    customData: p.customData && JSON.stringify(p.customData),
    customer: compact({ ...request.customer, ...p.customer }),
  };
  return compact({ ...request, ...compact(decided) })!;
}

/** A safe integer of at least `min`: amounts in minor units, quantities. */
export const isAmount = (value: unknown, min: number) => typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
const isHttpUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value);

/** Checks the SDK's own requirements that are not KG Inicis-specific (store, channel, amounts, URLs). */
export function checkRequest(kind: RequestKind, anyRequest: AnyCheckoutRequest): Violation[] {
  const request = anyRequest as Partial<PaymentRequest & IssueBillingKeyRequest & Omit<IdentityVerificationRequest, 'customData'>>;
  const out: Violation[] = [];
  const identity = kind === 'identity-verification';
  const required = (field: 'storeId' | 'channelKey' | 'identityVerificationId') => {
    if (typeof request[field] !== 'string' || !request[field]!.trim()) out.push(violation(field, 'required', ['필수', `${field[0] === 'i' ? 'an' : 'a'} ${field}`], request[field]));
  };
  required('storeId');
  if (!request.channelGroupId) required('channelKey');
  if (identity) required('identityVerificationId');
  else if (kind !== 'billing-key') {
    if (!isAmount(request.totalAmount, 1)) out.push(violation('totalAmount', 'amount', ['1 이상의 정수', 'a positive integer'], request.totalAmount));
    const taxFree = request.taxFreeAmount;
    if (taxFree !== undefined && !(isAmount(taxFree, 0) && taxFree <= request.totalAmount!)) {
      out.push(violation('taxFreeAmount', 'amount', ['0 이상 totalAmount 이하의 정수', 'an integer from 0 to totalAmount'], taxFree));
    }
    // VAT is part of the taxable amount, totalAmount less taxFreeAmount (the SDK: "미입력 시 과세 금액의 1/11").
    const vat = request.vatAmount;
    if (vat !== undefined && !(isAmount(vat, 0) && vat <= request.totalAmount! - (isAmount(taxFree, 0) ? taxFree! : 0))) {
      out.push(violation('vatAmount', 'amount', ['0 이상 (totalAmount - taxFreeAmount) 이하의 정수', 'an integer from 0 to totalAmount less taxFreeAmount'], vat));
    }
  } else if (request.displayAmount !== undefined && !isAmount(request.displayAmount, 0)) {
    out.push(violation('displayAmount', 'amount', ['0 이상의 정수', 'a non-negative integer'], request.displayAmount));
  }
  for (const device of ['pc', 'mobile'] as const) {
    const type = request.windowType?.[device];
    if (type !== undefined && !WINDOW_TYPES.includes(type as never)) {
      out.push(violation(`windowType.${device}`, 'window-type', oneOf(WINDOW_TYPES), type));
    }
  }
  if (request.redirectUrl !== undefined && !isHttpUrl(request.redirectUrl)) {
    out.push(violation('redirectUrl', 'url', ['http(s):// 주소', 'an http(s):// URL'], request.redirectUrl));
  }
  for (const url of request.noticeUrls ?? []) {
    if (!isHttpUrl(url)) out.push(violation('noticeUrls', 'url', ['http(s):// 주소', 'http(s):// URLs'], url));
  }
  const confirmUrl = (request as { confirmUrl?: unknown }).confirmUrl;
  if (confirmUrl !== undefined && (typeof confirmUrl !== 'string' || !isHttpUrl(confirmUrl))) {
    out.push(violation('confirmUrl', 'url', ['http(s):// 주소', 'an http(s):// URL'], confirmUrl));
  }
  // Identity verification takes customData as a string, the payment requests as an object.
  if (request.customData !== undefined && (identity ? typeof request.customData !== 'string' : !isObject(request.customData))) {
    out.push(violation('customData', 'custom-data', identity ? ['문자열', 'a string'] : ['객체', 'an object'], request.customData));
  }
  return out;
}

/**
 * `items` for the prepare call: a JSON array (attribute) or an array (property) of
 * `{ id, quantity }`. The kit checks the products; this only catches malformed input early.
 */
export function parseItems(value: string | readonly CartItem[] | undefined, violations: Violation[]): CartItem[] | undefined {
  if (value === undefined || value === '') return undefined;
  const expected = ['[{"id": 문자열, "quantity": 1 이상 정수}, …]', 'a non-empty JSON array of {"id": string, "quantity": positive integer}'] as const;
  const items = typeof value === 'string' ? parseJson('items', value, expected, violations) : value;
  if (items === undefined) return undefined;
  const valid = (item: Partial<CartItem>) => isObject(item) && typeof item.id === 'string' && item.id !== '' && isAmount(item.quantity, 1);
  if (Array.isArray(items) && items.length && items.every(valid)) return items;
  violations.push(violation('items', 'items', expected, items));
  return undefined;
}

/** The customer fields the kit may record (no money, so the browser may send them). */
export function checkoutCustomer(customer: Customer | undefined): CheckoutCustomer | undefined {
  if (!customer) return undefined;
  const { customerId, fullName, firstName, lastName, phoneNumber, email } = customer;
  return compact({ customerId, fullName, firstName, lastName, phoneNumber, email });
}

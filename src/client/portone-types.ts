// The shapes of PortOne's browser SDK that the package takes and gives (requests, responses, the
// KG Inicis bypass objects, identity verification's included), declared here rather than imported from `@portone/browser-sdk/v2`:
// that package's typings (0.1.11) export some names twice, so a project that imports anything of
// it gets 12 × TS2308 unless it sets `skipLibCheck`. No declaration this package ships imports it.
// Same field names as the SDK's; small enums copied, large ones (currencies, countries, banks, card
// companies …) widened to `string`, which the elements check at run time (KG Inicis's rules).
// test/client/portone-types.typecheck.ts keeps them in step: every SDK request is one of these,
// with the same fields, and every SDK response fits `SdkResult`.

/** `OneOfType` in the SDK: exactly one of the keys of `T`. */
type OneOf<T> = { [K in keyof T]: { [O in Exclude<keyof T, K>]?: undefined } & Pick<T, K> }[keyof T];

export type WindowType = 'IFRAME' | 'POPUP' | 'REDIRECTION' | 'UI';
export type ProductType = 'REAL' | 'DIGITAL' | 'PRODUCT_TYPE_REAL' | 'PRODUCT_TYPE_DIGITAL';
export type Gender = 'MALE' | 'FEMALE' | 'OTHER' | 'GENDER_MALE' | 'GENDER_FEMALE' | 'GENDER_OTHER';
export type BillingKeyMethod = 'CARD' | 'MOBILE' | 'EASY_PAY' | 'PAYPAL';
export type BillingKeyAndPayMethod = 'MOBILE';

export interface Address {
  country?: string | undefined;
  addressLine1: string;
  addressLine2: string;
  city?: string | undefined;
  province?: string | undefined;
}

/** `customer`: who pays. */
export interface Customer {
  customerId?: string | undefined;
  fullName?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phoneNumber?: string | undefined;
  email?: string | undefined;
  address?: Address | undefined;
  zipcode?: string | undefined;
  gender?: Gender | undefined;
  birthYear?: string | undefined;
  birthMonth?: string | undefined;
  birthDay?: string | undefined;
  firstNameKana?: string | undefined;
  lastNameKana?: string | undefined;
}

export type OfferPeriodRange = { from: string } | { to: string } | { from: string; to: string };
/** `offerPeriod`: an interval (`1m`) or a range. */
export type OfferPeriod = OneOf<{ range?: OfferPeriodRange | undefined; interval?: string | undefined }>;

export interface WindowTypes {
  pc?: WindowType | undefined;
  mobile?: WindowType | undefined;
}

export interface Product {
  id: string;
  name: string;
  code?: string | undefined;
  amount: number;
  quantity: number;
  tag?: string | undefined;
  link?: string | undefined;
  description?: string | undefined;
}

export interface StoreDetails {
  ceoFullName?: string | undefined;
  phoneNumber?: string | undefined;
  address?: string | undefined;
  zipcode?: string | undefined;
  email?: string | undefined;
  businessName?: string | undefined;
  businessRegistrationNumber?: string | undefined;
  storeName?: string | undefined;
  storeNameShort?: string | undefined;
  storeNameEn?: string | undefined;
  storeNameKana?: string | undefined;
  openingHours?: { open?: string | undefined; close?: string | undefined } | undefined;
  contactName?: string | undefined;
}

export interface Installment {
  freeInstallmentPlans?: { cardCompany: string; pgProvider?: string | undefined; months: number[] }[] | undefined;
  monthOption?: OneOf<{ fixedMonth?: number | undefined; availableMonthList?: number[] | undefined }> | undefined;
}

/** KG Inicis's window options for a payment (`bypass.inicis_v2`). */
export interface InicisV2Bypass {
  logo_url?: string | undefined;
  logo_2nd?: string | undefined;
  parentemail?: string | undefined;
  Ini_SSGPAY_MDN?: string | undefined;
  acceptmethod?: string[] | undefined;
  P_CARD_OPTION?: string | undefined;
  P_MNAME?: string | undefined;
  P_RESERVED?: string[] | undefined;
}

/** KG Inicis's window options for a billing key (`bypass.inicis_v2`). */
export interface InicisV2IssueBillingKeyBypass {
  carduse?: 'percard' | 'cocard' | undefined;
}

/** `bypass`: KG Inicis's options typed; other PGs' (`kcp_v2`, `tosspayments` …) as they are. */
export interface PaymentBypass {
  inicis_v2?: InicisV2Bypass | undefined;
  [pg: string]: unknown;
}

export interface IssueBillingKeyBypass {
  inicis_v2?: InicisV2IssueBillingKeyBypass | undefined;
  [pg: string]: unknown;
}

export interface PaymentRequest {
  storeId: string;
  paymentId: string;
  orderName: string;
  orderDetail?: string | undefined;
  totalAmount: number;
  currency: string;
  payMethod: string;
  channelKey?: string | undefined;
  channelGroupId?: string | undefined;
  taxFreeAmount?: number | undefined;
  vatAmount?: number | undefined;
  customer?: Customer | undefined;
  windowType?: WindowTypes | undefined;
  redirectUrl?: string | undefined;
  forceRedirect?: boolean | undefined;
  noticeUrls?: string[] | undefined;
  confirmUrl?: string | undefined;
  appScheme?: string | undefined;
  isEscrow?: boolean | undefined;
  products?: Product[] | undefined;
  isCulturalExpense?: boolean | undefined;
  locale?: string | undefined;
  customData?: Record<string, any> | undefined;
  country?: string | undefined;
  productType?: ProductType | undefined;
  offerPeriod?: OfferPeriod | undefined;
  storeDetails?: StoreDetails | undefined;
  shippingAddress?: Address | undefined;
  promotionId?: string | undefined;
  merpayCategoryId?: string | undefined;
  popup?: { center?: boolean | undefined } | undefined;
  iframe?: { dim?: boolean | undefined } | undefined;
  bypass?: PaymentBypass | undefined;
  card?:
    | {
        cardCompany?: string | undefined;
        availableCards?: string[] | undefined;
        useFreeInterestFromMall?: boolean | undefined;
        installment?: Installment | undefined;
        useCardPoint?: boolean | undefined;
        useAppCardOnly?: boolean | undefined;
        useInstallment?: boolean | undefined;
        cardPromotion?: { promotionId: string; discountAmount: number } | undefined;
      }
    | undefined;
  virtualAccount?:
    | {
        cashReceiptType?: string | undefined;
        customerIdentifier?: string | undefined;
        fixedOption?: OneOf<{ pgAccountId: string; accountNumber: string }> | undefined;
        bankCode?: string | undefined;
        accountExpiry?: OneOf<{ validHours: number; dueDate: string }> | undefined;
        availableBanks?: string[] | undefined;
      }
    | undefined;
  transfer?: { cashReceiptType?: string | undefined; customerIdentifier?: string | undefined; bankCode?: string | undefined } | undefined;
  mobile?: { carrier?: string | undefined; avaliableCarriers?: string[] | undefined } | undefined;
  giftCertificate?: { giftCertificateType?: string | undefined } | undefined;
  easyPay?:
    | {
        easyPayProvider?: string | undefined;
        useFreeInterestFromMall?: boolean | undefined;
        availableCards?: string[] | undefined;
        installment?: Installment | undefined;
        cashReceiptType?: string | undefined;
        customerIdentifier?: string | undefined;
        useCardPoint?: boolean | undefined;
        availablePayMethods?: string[] | undefined;
        useInstallment?: boolean | undefined;
      }
    | undefined;
  /** Not a KG Inicis method: typed loosely. */
  paypal?: Record<string, unknown> | undefined;
  /** Not a KG Inicis method: typed loosely. */
  alipay?: Record<string, unknown> | undefined;
  /** Not a KG Inicis method: typed loosely. */
  convenienceStore?: Record<string, unknown> | undefined;
  /** Not a KG Inicis method: typed loosely. */
  alipayPlus?: Record<string, unknown> | undefined;
}

export interface IssueBillingKeyRequest {
  displayAmount?: number | undefined;
  currency?: string | undefined;
  storeId: string;
  channelKey?: string | undefined;
  billingKeyMethod?: BillingKeyMethod | undefined;
  issueName?: string | undefined;
  issueId?: string | undefined;
  customer?: Customer | undefined;
  windowType?: WindowTypes | undefined;
  redirectUrl?: string | undefined;
  forceRedirect?: boolean | undefined;
  locale?: string | undefined;
  customData?: Record<string, any> | undefined;
  offerPeriod?: OfferPeriod | undefined;
  appScheme?: string | undefined;
  noticeUrls?: string[] | undefined;
  productType?: ProductType | undefined;
  bypass?: IssueBillingKeyBypass | undefined;
  popup?: { center?: boolean | undefined } | undefined;
  iframe?: { dim?: boolean | undefined } | undefined;
  card?: Record<string, unknown> | undefined;
  mobile?: Record<string, unknown> | undefined;
  easyPay?: Record<string, unknown> | undefined;
  paypal?: Record<string, unknown> | undefined;
}

/** KG Inicis 통합인증's direct agencies (`directAgency`): one provider, with no choice screen. `SMS` needs a contract with KG Inicis. */
export type InicisUnifiedDirectAgency = 'PAYCO' | 'PASS' | 'TOSS' | 'KFTC' | 'KAKAO' | 'NAVER' | 'SAMSUNG' | 'SHINHAN' | 'KB' | 'HANA' | 'WOORI' | 'NH' | 'KAKAOBANK' | 'SMS';

/** KG Inicis 통합인증's window options (`bypass.inicisUnified`); KG Inicis requires `flgFixedUser`. */
export interface InicisUnifiedIdentityVerificationBypass {
  directAgency?: InicisUnifiedDirectAgency | undefined;
  /** `Y`: the window is filled in with the customer (then name, phone and birth date are required); `N`: the shopper types them. */
  flgFixedUser: 'Y' | 'N';
  /** Logo in the window's top left instead of KG Inicis's (164×28, HTTPS). */
  logoUrl?: string | undefined;
  /** Salt for the DI. */
  DI_CODE?: string | undefined;
  /** `N`: no gender and foreigner fields for providers that do not report them (default `Y`). */
  FRGNDInfo?: string | undefined;
}

/** `bypass` of `requestIdentityVerification`: KG Inicis's options typed; Danal's and KCP's as they are. */
export interface IdentityVerificationBypass {
  inicisUnified?: InicisUnifiedIdentityVerificationBypass | undefined;
  /** Not a KG Inicis channel: typed loosely. */
  danal?: Record<string, unknown> | undefined;
  /** Not a KG Inicis channel: typed loosely. */
  kcpV2?: Record<string, unknown> | undefined;
}

export interface IdentityVerificationRequest {
  storeId: string;
  /** Unique per verification; an id already verified cannot be verified again. */
  identityVerificationId: string;
  channelKey?: string | undefined;
  customer?: Customer | undefined;
  windowType?: WindowTypes | undefined;
  redirectUrl?: string | undefined;
  forceRedirect?: boolean | undefined;
  /** A string here, unlike the payment requests' object. */
  customData?: string | undefined;
  bypass?: IdentityVerificationBypass | undefined;
  popup?: { center?: boolean | undefined } | undefined;
  iframe?: { dim?: boolean | undefined } | undefined;
}

export interface IssueBillingKeyAndPayRequest {
  storeId: string;
  paymentId: string;
  orderName: string;
  totalAmount: number;
  currency: string;
  channelKey?: string | undefined;
  billingKeyAndPayMethod: BillingKeyAndPayMethod;
  taxFreeAmount?: number | undefined;
  vatAmount?: number | undefined;
  customer?: Customer | undefined;
  products?: Product[] | undefined;
  windowType?: WindowTypes | undefined;
  redirectUrl?: string | undefined;
  forceRedirect?: boolean | undefined;
  noticeUrls?: string[] | undefined;
  locale?: string | undefined;
  isCulturalExpense?: boolean | undefined;
  customData?: Record<string, any> | undefined;
  offerPeriod?: OfferPeriod | undefined;
  appScheme?: string | undefined;
  productType?: ProductType | undefined;
  storeDetails?: StoreDetails | undefined;
  country?: string | undefined;
  /** KG Inicis takes no bypass here; other PGs' as they are. */
  bypass?: Record<string, unknown> | undefined;
  popup?: { center?: boolean | undefined } | undefined;
  iframe?: { dim?: boolean | undefined } | undefined;
  mobile?: Record<string, unknown> | undefined;
}

/** What `requestPayment` resolves with. */
export interface PaymentResponse {
  transactionType: 'PAYMENT';
  txId: string;
  paymentId: string;
  paymentToken?: string | undefined;
  code?: string | undefined;
  message?: string | undefined;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
}

/** What `requestIssueBillingKey` resolves with. */
export interface IssueBillingKeyResponse {
  transactionType: 'ISSUE_BILLING_KEY';
  billingKey: string;
  billingIssueToken?: string | undefined;
  code?: string | undefined;
  message?: string | undefined;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
}

/** What `requestIssueBillingKeyAndPay` resolves with. */
export interface IssueBillingKeyAndPayResponse {
  transactionType: 'ISSUE_BILLING_KEY_AND_PAY';
  txId: string;
  paymentId: string;
  billingKey: string;
  billingIssueToken?: string | undefined;
  code?: string | undefined;
  message?: string | undefined;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
}

/** What `requestIdentityVerification` resolves with. */
export interface IdentityVerificationResponse {
  transactionType: 'IDENTITY_VERIFICATION';
  identityVerificationId: string;
  identityVerificationTxId: string;
  code?: string | undefined;
  message?: string | undefined;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
}

/** `window.PortOne`, the runtime the elements load and call. */
export interface PortOneRuntime {
  requestPayment(request: PaymentRequest): Promise<PaymentResponse | undefined>;
  requestIssueBillingKey(request: IssueBillingKeyRequest): Promise<IssueBillingKeyResponse | undefined>;
  requestIssueBillingKeyAndPay(request: IssueBillingKeyAndPayRequest): Promise<IssueBillingKeyAndPayResponse | undefined>;
  requestIdentityVerification(request: IdentityVerificationRequest): Promise<IdentityVerificationResponse | undefined>;
}

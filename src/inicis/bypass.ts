// Turns plain-HTML KG Inicis options into PortOne's `bypass.inicis_v2` object (and, for identity
// verification, `bypass.inicisUnified`). KG Inicis runs one module on PC and another on mobile with
// different keys, so one option may land under both.
import type { InicisUnifiedIdentityVerificationBypass, InicisV2Bypass, InicisV2IssueBillingKeyBypass } from '../client/portone-types.js';

/** Flags of the `inicis-options` attribute, and where each lands: PC `acceptmethod`, mobile `P_RESERVED`. */
export const INICIS_FLAGS = {
  below1000: ['below1000', 'below1000=Y'],
  noeasypay: ['noeasypay', 'noeasypay=Y'],
  ocb: ['ocb'],
  paypopup: ['paypopup'],
  hidebar: ['hidebar'],
  'global-visa3d': [, 'global_visa3d=Y'],
  'apprun-check': [, 'apprun_check=Y'],
} as const satisfies Record<string, readonly [string?, string?]>;
export type InicisFlag = keyof typeof INICIS_FLAGS;

/** KG Inicis payment-window options, one per `inicis-*` attribute of `<portone-payment-button>`. */
export interface InicisOptions {
  /** PC `logo_url`: main logo (about 89×18). */
  logoUrl?: string | undefined;
  /** PC `logo_2nd`: sub logo (about 64×13). */
  logo2nd?: string | undefined;
  /** PC `acceptmethod` `SKIN(<colour>)`, e.g. `#C1272C`. */
  skin?: string | undefined;
  /** PC `parentemail`: guardian e-mail for shoppers under 14. */
  parentEmail?: string | undefined;
  /** PC `Ini_SSGPAY_MDN`: phone for the SSGPAY push; hyphens and spaces are dropped. */
  ssgpayPhone?: string | undefined;
  /** PC `acceptmethod` `slimquota(<value>)`, e.g. `11-2:3^34-2:3`. */
  slimquota?: string | undefined;
  /** PC `acceptmethod` `mallpoint(<value>)`, e.g. `11:34`. */
  mallpoint?: string | undefined;
  /** Mobile `P_CARD_OPTION` `selcode=<card code>`, e.g. `14`. */
  card?: string | undefined;
  /** Mobile `P_MNAME`: merchant name shown in the window. */
  merchantName?: string | undefined;
  /** Flags (space-separated in HTML): see {@link INICIS_FLAGS}. An unknown flag is kept in `acceptmethod` (buildPaymentRequest refuses it). */
  options?: string | readonly string[] | undefined;
}

/** A space- or comma-separated list (HTML), or an array (property), as an array. */
export const words = (value: string | readonly string[] | undefined): string[] =>
  typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [...(value ?? [])];

/** Copies `source` without its `undefined`/empty values; `undefined` when nothing is left. */
export function compact<T extends object>(source: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  }
  return Object.keys(out).length ? (out as T) : undefined;
}

/**
 * `bypass.inicis_v2` for `requestPayment`. `raw` (the element's `.inicis`) is merged over the
 * options key by key: a key in `raw` replaces the one built from the options.
 */
export function buildInicisBypass(options: InicisOptions, raw?: InicisV2Bypass): InicisV2Bypass | undefined {
  const acceptmethod: string[] = [];
  const reserved: string[] = [];
  if (options.skin) acceptmethod.push(`SKIN(${options.skin.trim()})`);
  for (const flag of words(options.options)) {
    const known: readonly (string | undefined)[] | undefined = INICIS_FLAGS[flag as InicisFlag];
    // An unknown flag goes to acceptmethod as is (buildPaymentRequest names it).
    const [pc, mobile] = known ?? [flag];
    if (pc && !acceptmethod.includes(pc)) acceptmethod.push(pc);
    if (mobile && !reserved.includes(mobile)) reserved.push(mobile);
  }
  if (options.slimquota) acceptmethod.push(`slimquota(${options.slimquota.trim()})`);
  if (options.mallpoint) acceptmethod.push(`mallpoint(${options.mallpoint.trim()})`);
  const card = options.card?.trim();
  return compact<InicisV2Bypass>({
    logo_url: options.logoUrl,
    logo_2nd: options.logo2nd,
    parentemail: options.parentEmail,
    Ini_SSGPAY_MDN: options.ssgpayPhone?.replace(/[\s-]/g, ''),
    acceptmethod,
    P_CARD_OPTION: card && (card.startsWith('selcode=') ? card : `selcode=${card}`),
    P_MNAME: options.merchantName,
    P_RESERVED: reserved,
    ...compact(raw ?? {}),
  });
}

/** `bypass.inicis_v2` for `requestIssueBillingKey`: only `carduse` (mobile: personal or corporate cards only). */
export function buildInicisBillingKeyBypass(
  cardUse: string | undefined,
  raw?: InicisV2IssueBillingKeyBypass,
): InicisV2IssueBillingKeyBypass | undefined {
  return compact<InicisV2IssueBillingKeyBypass>({
    carduse: cardUse as InicisV2IssueBillingKeyBypass['carduse'],
    ...compact(raw ?? {}),
  });
}

/** KG Inicis 통합인증 window options, one per `inicis-*` attribute of `<portone-identity-verification-button>`. */
export interface InicisUnifiedOptions {
  /** `flgFixedUser` `Y`: the window is filled in with the customer (name, phone, birth date). */
  fixedUser?: boolean | undefined;
  /** `directAgency`: one provider, no choice screen (`PASS`, `KAKAO`, `NAVER` …). */
  directAgency?: string | undefined;
  /** `logoUrl`: the window's logo (164×28, HTTPS). */
  logoUrl?: string | undefined;
}

/**
 * `bypass.inicisUnified` for `requestIdentityVerification`. KG Inicis requires `flgFixedUser`, so it
 * is always there (`N` unless asked); `raw` (the element's `.inicis`) is merged over, key by key.
 */
export function buildInicisUnifiedBypass(options: InicisUnifiedOptions, raw?: Partial<InicisUnifiedIdentityVerificationBypass>): InicisUnifiedIdentityVerificationBypass {
  return {
    flgFixedUser: options.fixedUser ? 'Y' : 'N',
    ...compact({ directAgency: options.directAgency as InicisUnifiedIdentityVerificationBypass['directAgency'], logoUrl: options.logoUrl }),
    ...compact(raw ?? {}),
  };
}

// `portone-checkout-kit/inicis`: KG Inicis's rules and bypass builders, usable without the elements.
export { checkInicisRequest, INICIS_RULES, INICIS_PAY_METHODS, INICIS_EASY_PAY_PROVIDERS, INICIS_GIFT_CERTIFICATES, INICIS_DIRECT_AGENCIES, INICIS_CARD_COMPANIES, ORDER_NAME_MAX_BYTES, CUSTOMER_NAME_MAX_BYTES } from './rules.js';
export type { Device, RequestKind, RequestOf, InicisRule, InicisViolation, InicisCheck } from './rules.js';
export { buildInicisBypass, buildInicisBillingKeyBypass, buildInicisUnifiedBypass, INICIS_FLAGS } from './bypass.js';
export type { InicisOptions, InicisUnifiedOptions, InicisFlag } from './bypass.js';
export { violation } from './violation.js';
export type { Violation, Lang } from './violation.js';

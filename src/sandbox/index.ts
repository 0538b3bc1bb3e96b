// portone-checkout-kit/sandbox: an offline, stateful emulator of PortOne V2 (REST API, the KG
// Inicis payment and 통합인증 windows behind the browser SDK, signed webhooks, faults, clock).
export { createSandbox } from './sandbox.js';
export { SANDBOX_CUSTOMER, DESKTOP_USER_AGENT, MOBILE_USER_AGENT } from './defaults.js';
export { TRIGGER_EVENTS } from './types.js';
export { CONTROL_TOKEN_HEADER } from './http/controls.js';
export { signWebhook, PORTONE_RETRY_DELAYS_MS } from './webhooks.js';
export { TEST_CARDS, DECLINES, CARD_COMPANIES, SDK_CARD_CODES, BANKS, SHOPPER_CANCEL_MESSAGE, SHOPPER_CANCEL_MESSAGE_EN } from './catalog.js';
export { INICIS_RULES } from './checkout/rules.js';
export { withResultQuery, parseOutcome, parseIdentityOutcome } from './checkout/protocol.js';
export { TEST_PERSONS, IDENTITY_AGENCIES, IDENTITY_CARRIERS } from './identity/persons.js';
export { IDENTITY_RULES, IDENTITY_FAILURES, IDENTITY_CANCEL_MESSAGE } from './identity/rules.js';
export type * from './types.js';
export type * from './identity/types.js';

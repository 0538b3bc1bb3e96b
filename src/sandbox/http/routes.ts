// The REST routes the sandbox serves: path shape and method to handler, and whether it needs
// `Authorization`. Each route's key (`GET /payments/:id`) names its fault settings and its
// operation in PortOne's OpenAPI document (scripts/sandbox-schemas.ts reads the keys from here).
import { login, refresh } from '../rest/auth.js';
import * as billingKeys from '../rest/billing-keys.js';
import * as charges from '../rest/charges.js';
import type { Handler } from '../rest/context.js';
import * as identityVerifications from '../rest/identity-verifications.js';
import * as lists from '../rest/lists.js';
import * as payments from '../rest/payments.js';
import * as schedules from '../rest/schedules.js';

export type Method = 'GET' | 'POST' | 'DELETE';
/** A REST route by path shape and method: its handler, and whether it needs `Authorization`. */
export type RouteSpec = Handler | { handler: Handler; auth: false };

export const REST_TABLE: Record<string, Partial<Record<Method, RouteSpec>>> = {
  '/login/api-secret': { POST: { handler: login, auth: false } },
  '/token/refresh': { POST: { handler: refresh, auth: false } },
  '/payments': { GET: lists.listPayments },
  '/payments/:id': { GET: payments.getPayment },
  '/payments/:id/pre-register': { POST: payments.preRegister },
  '/payments/:id/cancel': { POST: payments.cancelPayment },
  '/payments/:id/instant': { POST: charges.payInstantly },
  '/payments/:id/billing-key': { POST: charges.payWithBillingKey },
  '/payments/:id/schedule': { POST: schedules.createPaymentSchedule },
  '/payments/:id/confirm': { POST: payments.confirmPayment },
  '/payments/:id/resend-webhook': { POST: payments.resendWebhook },
  '/payments/:id/virtual-account/close': { POST: payments.closeVirtualAccount },
  '/payment-schedules': { GET: lists.listPaymentSchedules, DELETE: schedules.revokePaymentSchedules },
  '/payment-schedules/:id': { GET: schedules.getPaymentSchedule },
  '/billing-keys': { GET: lists.listBillingKeys, POST: billingKeys.issueBillingKey },
  '/billing-keys/confirm': { POST: billingKeys.confirmBillingKey },
  '/billing-keys/confirm-issue-and-pay': { POST: billingKeys.confirmBillingKeyIssueAndPay },
  '/billing-keys/:id': { GET: billingKeys.getBillingKey, DELETE: billingKeys.deleteBillingKey },
  '/identity-verifications': { GET: identityVerifications.listIdentityVerifications },
  '/identity-verifications/:id': { GET: identityVerifications.getIdentityVerification },
};

/** Every REST route's fault key (`faults.routes` accepts these and `*`). */
export const REST_ROUTE_KEYS: readonly string[] = Object.entries(REST_TABLE).flatMap(([shape, methods]) => Object.keys(methods).map((method) => `${method} ${shape}`));

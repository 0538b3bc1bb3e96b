// Checks of what callers hand the sandbox (its options, fault settings, scripted outcomes, the
// control token), each failing with the field, what was expected and what arrived. What passes is
// copied field by field, so nothing unchecked is ever stored or served back.
import { randomBytes } from 'node:crypto';
import { readOutcome } from './checkout/approval.js';
import { readIdentityOutcome } from './identity/rules.js';
import type { SandboxIdentityOutcome } from './identity/types.js';
import { usageError } from './errors.js';
import { REST_ROUTE_KEYS } from './http/rest.js';
import { describe, InputError, isObject, MAX_TIME, optHttpUrls } from './input.js';
import type { RouteFault, SandboxChargeOutcome, SandboxFaults, SandboxOutcome, WebhookFault } from './types.js';

const range = (message: string) => usageError(new RangeError(message));

/** The longest latency or delay a fault may add: ten minutes. */
export const MAX_FAULT_DELAY_MS = 600_000;

function rate(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw range(`${field}: expected a rate between 0 and 1, got ${describe(value)}`);
  return value;
}

function delay(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_FAULT_DELAY_MS)) throw range(`${field}: expected ms from 0 to ${MAX_FAULT_DELAY_MS}, got ${describe(value)}`);
  return value;
}

function onlyKnown(value: Record<string, unknown>, field: string, known: readonly string[]): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw range(`${field}: unknown ${unknown.length === 1 ? 'field' : 'fields'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected ${known.join(', ')}`);
}

const ROUTE_FAULT_FIELDS = ['failureRate', 'failureStatus', 'latencyMs', 'hangRate', 'resetRate'] as const satisfies readonly (keyof RouteFault)[];
const WEBHOOK_FAULT_FIELDS = ['dropRate', 'duplicateRate', 'delayMs', 'reorder', 'reorderWindowMs'] as const satisfies readonly (keyof WebhookFault)[];

function routeFault(value: unknown, key: string): RouteFault {
  const field = `faults.routes[${JSON.stringify(key)}]`;
  if (!isObject(value)) throw range(`${field}: expected an object like { failureRate: 0.1 }, got ${describe(value)}`);
  onlyKnown(value, field, ROUTE_FAULT_FIELDS);
  const failureStatus = value.failureStatus;
  if (failureStatus !== undefined && failureStatus !== 500 && failureStatus !== 502 && failureStatus !== 503 && failureStatus !== 504) {
    throw range(`${field}.failureStatus: expected 500, 502, 503 or 504, got ${describe(failureStatus)}`);
  }
  const fault: RouteFault = {};
  const failureRate = rate(value.failureRate, `${field}.failureRate`);
  const hangRate = rate(value.hangRate, `${field}.hangRate`);
  const resetRate = rate(value.resetRate, `${field}.resetRate`);
  const latencyMs = delay(value.latencyMs, `${field}.latencyMs`);
  if (failureRate !== undefined) fault.failureRate = failureRate;
  if (failureStatus !== undefined) fault.failureStatus = failureStatus;
  if (latencyMs !== undefined) fault.latencyMs = latencyMs;
  if (hangRate !== undefined) fault.hangRate = hangRate;
  if (resetRate !== undefined) fault.resetRate = resetRate;
  return fault;
}

function webhookFault(value: unknown): WebhookFault {
  if (!isObject(value)) throw range(`faults.webhooks: expected an object like { dropRate: 0.1 }, got ${describe(value)}`);
  onlyKnown(value, 'faults.webhooks', WEBHOOK_FAULT_FIELDS);
  if (value.reorder !== undefined && typeof value.reorder !== 'boolean') throw range(`faults.webhooks.reorder: expected true or false, got ${describe(value.reorder)}`);
  const fault: WebhookFault = {};
  const dropRate = rate(value.dropRate, 'faults.webhooks.dropRate');
  const duplicateRate = rate(value.duplicateRate, 'faults.webhooks.duplicateRate');
  const delayMs = delay(value.delayMs, 'faults.webhooks.delayMs');
  const reorderWindowMs = delay(value.reorderWindowMs, 'faults.webhooks.reorderWindowMs');
  if (dropRate !== undefined) fault.dropRate = dropRate;
  if (duplicateRate !== undefined) fault.duplicateRate = duplicateRate;
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (value.reorder !== undefined) fault.reorder = value.reorder;
  if (reorderWindowMs !== undefined) fault.reorderWindowMs = reorderWindowMs;
  return fault;
}

/** Fault settings checked and copied: route keys are REST route keys (`GET /payments/:id`) or `*`. */
export function validateFaults(value: unknown): SandboxFaults {
  if (!isObject(value)) throw range(`faults: expected an object like { routes: { '*': { latencyMs: 30 } } }, got ${describe(value)}`);
  onlyKnown(value, 'faults', ['routes', 'webhooks', 'seed']);
  const faults: SandboxFaults = {};
  if (value.routes !== undefined) {
    if (!isObject(value.routes)) throw range(`faults.routes: expected an object of route keys, got ${describe(value.routes)}`);
    const routes: Record<string, RouteFault> = {};
    for (const [key, fault] of Object.entries(value.routes)) {
      if (key !== '*' && !REST_ROUTE_KEYS.includes(key)) {
        const hint = /\{\w+\}/.test(key) ? ' (path parameters are written :id, not {paymentId})' : '';
        throw range(`faults.routes: keys look like "GET /payments/:id" or "*", got ${JSON.stringify(key)}${hint}. Valid keys: ${REST_ROUTE_KEYS.join(', ')}`);
      }
      routes[key] = routeFault(fault, key);
    }
    faults.routes = routes;
  }
  if (value.webhooks !== undefined) faults.webhooks = webhookFault(value.webhooks);
  if (value.seed !== undefined) {
    if (!Number.isSafeInteger(value.seed)) throw range(`faults.seed: expected an integer, got ${describe(value.seed)}`);
    faults.seed = value.seed as number;
  }
  return faults;
}

/** The default 상점 of the window: PortOne's test store. */
export const DEFAULT_STORE_NAME = '포트원 샌드박스 상점';

export function checkStoreName(name: unknown): string {
  if (name === undefined) return DEFAULT_STORE_NAME;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw range(`storeName: expected 1–100 characters without control characters, got ${describe(name)}`);
  }
  return name;
}

/** A scripted outcome for `nextOutcome` / `nextChargeOutcome` / the Node helpers, copied; a `TypeError` naming `what` otherwise. */
export function checkOutcome<T extends SandboxOutcome | SandboxChargeOutcome>(outcome: unknown, what: string, allowed: readonly T['result'][]): T {
  const read = readOutcome(outcome, allowed);
  if ('problem' in read) throw usageError(new TypeError(`${what}: ${read.problem}`));
  return read.outcome as T;
}

/** A scripted identity outcome for `nextIdentityOutcome` / `verifyIdentity`, copied; a `TypeError` naming `what` otherwise. */
export function checkIdentityOutcome(outcome: unknown, what: string): SandboxIdentityOutcome {
  const read = readIdentityOutcome(outcome);
  if ('problem' in read) throw usageError(new TypeError(`${what}: ${read.problem}`));
  return read.outcome;
}

/** Control tokens: long enough to be unguessable, and safe in a header and a URL fragment. */
const CONTROL_TOKEN = /^[A-Za-z0-9_-]{24,200}$/;

export const generateControlToken = (): string => randomBytes(32).toString('base64url');

export function checkControlToken(token: unknown): string {
  if (typeof token !== 'string' || !CONTROL_TOKEN.test(token)) {
    throw range(`controlToken: expected 24 to 200 letters, digits, - or _ (base64url), got ${typeof token === 'string' ? `${token.length} characters` : describe(token)}`);
  }
  return token;
}

/** Webhook URLs: a list of http(s) URLs, copied. */
export function checkWebhookUrls(urls: unknown, what: string): string[] {
  try {
    if (!Array.isArray(urls)) throw new InputError(`\`${what}\`: expected an array of http(s) URLs, got ${describe(urls)}`);
    return [...(optHttpUrls(urls, what) ?? [])];
  } catch (error) {
    if (error instanceof InputError) throw usageError(new TypeError(error.message));
    throw error;
  }
}

/** The clock's start: ms since the epoch, up to the last representable moment. */
export function checkNow(now: unknown): number {
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0 || now > MAX_TIME) {
    throw range(`now: expected ms since the epoch up to ${new Date(MAX_TIME).toISOString()}, got ${describe(now)}`);
  }
  return now;
}

/** What `manualApprovalTtlMs` defaults to: 10 minutes (inferred; PortOne says only that it differs per PG). */
export const DEFAULT_MANUAL_APPROVAL_TTL_MS = 600_000;
const MAX_MANUAL_APPROVAL_TTL_MS = 86_400_000;

export function checkManualApprovalTtl(value: unknown): number {
  if (value === undefined) return DEFAULT_MANUAL_APPROVAL_TTL_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MANUAL_APPROVAL_TTL_MS) {
    throw range(`manualApprovalTtlMs: expected whole ms from 1 to ${MAX_MANUAL_APPROVAL_TTL_MS} (a day), got ${describe(value)}`);
  }
  return value;
}

/** A callback option. */
export function checkFunction<T>(value: T, what: string): T {
  if (typeof value !== 'function') throw usageError(new TypeError(`${what}: expected a function, got ${describe(value)}`));
  return value;
}

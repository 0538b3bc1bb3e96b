// The checks that turn a mistaken configuration into one clear error at startup instead of a wrong
// charge later: the shop's options resolved with their defaults, and what `priceOrder` returned.
import { CURRENCIES, type CheckoutCurrency, type CheckoutCustomer } from '../contract.js';
import type { OrderLine } from './model.js';
import type { BillingPlan, CheckoutServerOptions, IdentityRejectionCode, IdentityVerificationOptions, PricedOrder, ResolvedOptions } from './options.js';
import { isPostgresUrl } from './store/postgres/url.js';

/** Already worded for the message (`{ said: '3 values' }`); anything else is described without echoing strings. */
type Said = { said: string };
const fail = (what: string, expected: string, got: unknown): never => {
  const shown =
    got && typeof got === 'object' && 'said' in got
      ? (got as Said).said
      : typeof got === 'string'
        ? got.length > 0
          ? `a string of ${got.length} characters`
          : 'an empty string'
        : got === undefined
          ? 'nothing'
          : JSON.stringify(got);
  throw new TypeError(`createCheckoutServer: ${what}: expected ${expected}, got ${shown}`);
};

/** For values that are not secrets: shown as they are. */
const plain = (value: unknown): Said => ({ said: value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value) });
/** A URL's password hidden, for an error message. */
const redactUrl = (value: unknown): unknown => (typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@') : value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** An absolute http(s) URL, or undefined when not given. */
function httpUrl(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  let ok = false;
  try {
    ok = typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
  } catch {
    // Not a URL: said below.
  }
  if (!ok) fail(path, 'an absolute http(s) URL', plain(value));
  return value as string;
}
const nonNegativeInt = (value: unknown, what: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(what, 'a non-negative integer', value);
  return value as number;
};

const between = (min: number, max: number, value: unknown, what: string, fallback: number): number => {
  const n = nonNegativeInt(value, what, fallback);
  if (n < min || n > max) fail(what, `an integer from ${min} to ${max}`, value);
  return n;
};

/** `1m` → { count: 1, unit: 'm' }. */
export function parseInterval(interval: string): { count: number; unit: 'd' | 'm' | 'y' } | undefined {
  const match = /^([1-9]\d{0,2})([dmy])$/.exec(interval);
  return match ? { count: Number(match[1]), unit: match[2] as 'd' | 'm' | 'y' } : undefined;
}

export function resolveOptions(options: CheckoutServerOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') fail('options', 'an object', options);
  const portone = options.portone;
  if (!portone || typeof portone !== 'object') fail('options.portone', '{ apiSecret, storeId, baseUrl? }', portone);
  // Never echo a secret, not even a wrong one: `fail` shows only its length.
  if (!isNonEmptyString(portone.apiSecret)) fail('options.portone.apiSecret', 'a PortOne V2 API secret', portone.apiSecret);
  if (!isNonEmptyString(portone.storeId)) fail('options.portone.storeId', 'a store id like "store-…"', plain(portone.storeId));
  if (portone.baseUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(portone.baseUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) fail('options.portone.baseUrl', 'an http(s) URL', plain(portone.baseUrl));
  }
  const secrets = typeof options.webhookSecret === 'string' ? [options.webhookSecret] : options.webhookSecret;
  if (!Array.isArray(secrets) || secrets.length < 1 || secrets.length > 2 || !secrets.every(isNonEmptyString)) {
    fail('options.webhookSecret', 'a webhook secret ("whsec_…") or an array of two during rotation', { said: Array.isArray(secrets) ? `${secrets.length} values` : typeof secrets });
  }
  for (const secret of secrets) {
    const base64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) fail('options.webhookSecret', 'base64 after the "whsec_" prefix', secret);
  }
  if (typeof options.priceOrder !== 'function') fail('options.priceOrder', 'a function (cart) => priced order', { said: typeof options.priceOrder });
  if (options.identifyCustomer !== undefined && typeof options.identifyCustomer !== 'function') {
    fail('options.identifyCustomer', 'a function (request) => customer or undefined', { said: typeof options.identifyCustomer });
  }
  if (options.database !== undefined) {
    if (options.store !== undefined) fail('options.database', 'nothing when options.store is given (the store decides where records go)', plain(redactUrl(options.database)));
    if (typeof options.database !== 'string' || options.database.trim() === '') fail('options.database', 'a SQLite file path or a postgres:// URL', plain(options.database));
    // Any other URL would otherwise be taken for a SQLite file's name (credentials and all).
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(options.database) && !isPostgresUrl(options.database)) {
      fail('options.database', 'a SQLite file path or a postgres:// URL', plain(redactUrl(options.database)));
    }
  }
  // A secret: never echoed, only its length.
  if (options.cronSecret !== undefined && (typeof options.cronSecret !== 'string' || options.cronSecret.length < 16)) fail('options.cronSecret', 'a secret of at least 16 characters', options.cronSecret);
  if (options.beforePrepare !== undefined && typeof options.beforePrepare !== 'function') {
    fail('options.beforePrepare', 'a function (request, { flow }) that throws to refuse', { said: typeof options.beforePrepare });
  }

  const plans: Record<string, BillingPlan> = {};
  for (const [id, plan] of Object.entries(options.plans ?? {})) {
    const where = `options.plans[${JSON.stringify(id)}]`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) fail('options.plans', 'plan ids of letters, digits, "_", "." or "-"', plain(id));
    if (!plan || typeof plan !== 'object') fail(where, '{ name, amount, currency, interval }', plan);
    if (!isNonEmptyString(plan.name)) fail(`${where}.name`, 'a name', plain(plan.name));
    if (!Number.isSafeInteger(plan.amount) || plan.amount <= 0) fail(`${where}.amount`, 'a positive integer in minor units', plan.amount);
    if (!(CURRENCIES as readonly string[]).includes(plan.currency)) fail(`${where}.currency`, CURRENCIES.join(' or '), plain(plan.currency));
    if (typeof plan.interval !== 'string' || !parseInterval(plan.interval)) fail(`${where}.interval`, 'like "1m", "1y" or "30d"', plain(plan.interval));
    plans[id] = { ...plan };
  }

  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[A-Za-z0-9_.~!$&'()*+,;=:@%/-]*$/.test(basePath)) fail('options.basePath', 'a path starting with "/"', plain(basePath));

  return {
    portone: {
      apiSecret: portone.apiSecret,
      storeId: portone.storeId,
      ...(portone.baseUrl ? { baseUrl: portone.baseUrl } : {}),
      timeoutMs: nonNegativeInt(portone.timeoutMs, 'options.portone.timeoutMs', 10_000) || 10_000,
    },
    webhookSecrets: [...secrets],
    priceOrder: options.priceOrder,
    identifyCustomer: options.identifyCustomer,
    beforePrepare: options.beforePrepare,
    plans,
    channelKeys: channelKeysOf(options.channelKeys),
    approvalTimeoutMs: between(10_000, 86_400_000, options.approvalTimeoutMs, 'options.approvalTimeoutMs', 600_000),
    identityVerification: identityOptions(options.identityVerification),
    allowTestChannels: options.allowTestChannels === true,
    acceptDiscounts: options.acceptDiscounts === true,
    preRegister: options.preRegister !== false,
    noticeUrls: [...(options.noticeUrls ?? [])],
    confirmUrl: httpUrl(options.confirmUrl, 'options.confirmUrl'),
    basePath,
    bodyLimitBytes: nonNegativeInt(options.bodyLimitBytes, 'options.bodyLimitBytes', 16_384) || 16_384,
    billingKeyIssueName: options.billingKeyIssueName ?? '정기결제 카드 등록',
    hookMaxAttempts: Math.max(1, nonNegativeInt(options.hookRetry?.maxAttempts, 'options.hookRetry.maxAttempts', 12)),
    hookBaseDelayMs: nonNegativeInt(options.hookRetry?.baseDelayMs, 'options.hookRetry.baseDelayMs', 1_000),
    hookPollMs: nonNegativeInt(options.hookPollMs, 'options.hookPollMs', 1_000),
    hookWaitMs: nonNegativeInt(options.hookWaitMs, 'options.hookWaitMs', 10_000),
    hookTimeoutMs: nonNegativeInt(options.hookTimeoutMs, 'options.hookTimeoutMs', 30_000),
    reconcileAfterMs: nonNegativeInt(options.reconcileAfterMs, 'options.reconcileAfterMs', 10 * 60_000),
    claimLeaseMs: between(300, 86_400_000, options.claimLeaseMs, 'options.claimLeaseMs', 30_000),
    cronSecret: options.cronSecret,
    now: options.now ?? Date.now,
    hooks: {
      ...(options.onPaid ? { onPaid: options.onPaid } : {}),
      ...(options.onVirtualAccountIssued ? { onVirtualAccountIssued: options.onVirtualAccountIssued } : {}),
      ...(options.onFailed ? { onFailed: options.onFailed } : {}),
      ...(options.onCancelled ? { onCancelled: options.onCancelled } : {}),
      ...(options.onBillingKeyIssued ? { onBillingKeyIssued: options.onBillingKeyIssued } : {}),
      ...(options.reserve ? { reserve: options.reserve } : {}),
      ...(options.release ? { release: options.release } : {}),
      ...(options.onIdentityVerified ? { onIdentityVerified: options.onIdentityVerified } : {}),
    },
  };
}

function channelKeysOf(given: CheckoutServerOptions['channelKeys']): NonNullable<CheckoutServerOptions['channelKeys']> {
  const keys = { ...given };
  const payment = keys.payment;
  // An empty string stays what it always was: no channel named.
  if (payment !== undefined && typeof payment !== 'function' && typeof payment !== 'string') {
    fail('options.channelKeys.payment', 'a channel key, or a function (order) => channel key', plain(payment));
  }
  return keys;
}

function identityOptions(given: IdentityVerificationOptions | undefined): IdentityVerificationOptions {
  if (given === undefined) return {};
  if (!given || typeof given !== 'object') fail('options.identityVerification', '{ channelKey?, minimumAge?, … }', plain(given));
  const out: IdentityVerificationOptions = {};
  if (given.channelKey !== undefined) {
    if (!isNonEmptyString(given.channelKey)) fail('options.identityVerification.channelKey', 'a channel key', plain(given.channelKey));
    out.channelKey = given.channelKey;
  }
  if (given.minimumAge !== undefined) {
    if (!Number.isSafeInteger(given.minimumAge) || given.minimumAge < 1 || given.minimumAge > 120) fail('options.identityVerification.minimumAge', 'whole years from 1 to 120', given.minimumAge);
    out.minimumAge = given.minimumAge;
  }
  if (given.linkedCustomer !== undefined) {
    if (typeof given.linkedCustomer !== 'function') fail('options.identityVerification.linkedCustomer', 'a function (ci) => customer id or undefined', { said: typeof given.linkedCustomer });
    out.linkedCustomer = given.linkedCustomer;
  }
  if (given.shopperMessages !== undefined) {
    if (!given.shopperMessages || typeof given.shopperMessages !== 'object') fail('options.identityVerification.shopperMessages', '{ UNDER_AGE?: string, … }', plain(given.shopperMessages));
    const codes: readonly IdentityRejectionCode[] = ['CHANNEL_MISMATCH', 'TEST_CHANNEL', 'CUSTOMER_MISMATCH', 'UNDER_AGE', 'NAME_MISMATCH', 'PHONE_MISMATCH', 'CI_UNAVAILABLE', 'ALREADY_LINKED'];
    const messages: Partial<Record<IdentityRejectionCode, string>> = {};
    for (const [code, message] of Object.entries(given.shopperMessages)) {
      if (!(codes as readonly string[]).includes(code)) fail(`options.identityVerification.shopperMessages.${code}`, `one of ${codes.join(', ')}`, code);
      if (!isNonEmptyString(message) || message.length > 200) fail(`options.identityVerification.shopperMessages.${code}`, 'a message for the shopper (1–200 characters)', plain(message));
      messages[code as IdentityRejectionCode] = message;
    }
    out.shopperMessages = messages;
  }
  for (const flag of ['matchCustomer', 'includeCi', 'includeDi'] as const) {
    if (given[flag] !== undefined && typeof given[flag] !== 'boolean') fail(`options.identityVerification.${flag}`, 'true or false', given[flag]);
    if (given[flag]) out[flag] = true;
  }
  return out;
}

/** Checks what `priceOrder` returned and turns it into order fields, or says what is wrong with it. */
export function checkPricedOrder(priced: unknown): { orderName: string; totalAmount: number; currency: CheckoutCurrency; lines: OrderLine[]; taxFreeAmount?: number; vatAmount?: number; customer?: CheckoutCustomer; reference?: string } {
  const bad = (what: string, expected: string, got: unknown): never => {
    throw new Error(`priceOrder returned ${what}: expected ${expected}, got ${typeof got === 'string' ? JSON.stringify(got.slice(0, 60)) : JSON.stringify(got) ?? 'nothing'}`);
  };
  if (!priced || typeof priced !== 'object') bad('no order', '{ orderName, totalAmount, currency, lines? }', priced);
  const p = priced as PricedOrder;
  if (!isNonEmptyString(p.orderName) || p.orderName.length > 200) bad('an unusable orderName', 'a non-empty name (KG Inicis shows 40 bytes)', p.orderName);
  if (!Number.isSafeInteger(p.totalAmount) || p.totalAmount <= 0) bad('an unusable totalAmount', 'a positive integer in minor units', p.totalAmount);
  if (!(CURRENCIES as readonly string[]).includes(p.currency)) bad('an unusable currency', CURRENCIES.join(' or '), p.currency);
  for (const [field, value] of [['taxFreeAmount', p.taxFreeAmount], ['vatAmount', p.vatAmount]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0 || value > p.totalAmount)) {
      bad(`an unusable ${field}`, `an integer from 0 to totalAmount (${p.totalAmount})`, value);
    }
  }
  const lines: OrderLine[] = [];
  if (p.lines !== undefined) {
    if (!Array.isArray(p.lines)) bad('lines that are not a list', 'an array of { id, name, quantity, unitAmount, amount? }', p.lines);
    for (const [index, line] of p.lines.entries()) {
      if (!line || !isNonEmptyString(line.id) || !isNonEmptyString(line.name)) bad(`line ${index} without id or name`, '{ id, name, … }', line);
      if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) bad(`line ${index} with an unusable quantity`, 'a positive integer', line.quantity);
      if (!Number.isSafeInteger(line.unitAmount)) bad(`line ${index} with an unusable unitAmount`, 'an integer in minor units', line.unitAmount);
      const amount = line.amount ?? line.unitAmount * line.quantity;
      if (!Number.isSafeInteger(amount)) bad(`line ${index} with an unusable amount`, 'an integer in minor units', line.amount);
      lines.push({ id: line.id, name: line.name, quantity: line.quantity, unitAmount: line.unitAmount, amount });
    }
    const sum = lines.reduce((total, line) => total + line.amount, 0);
    if (lines.length > 0 && sum !== p.totalAmount) bad('lines that do not add up', `their amounts to sum to totalAmount ${p.totalAmount}`, sum);
  }
  return {
    orderName: p.orderName,
    totalAmount: p.totalAmount,
    currency: p.currency,
    lines,
    ...(p.taxFreeAmount !== undefined ? { taxFreeAmount: p.taxFreeAmount } : {}),
    ...(p.vatAmount !== undefined ? { vatAmount: p.vatAmount } : {}),
    ...(p.customer ? { customer: p.customer } : {}),
    ...(isNonEmptyString(p.reference) ? { reference: p.reference } : {}),
  };
}

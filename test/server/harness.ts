// The end-to-end rig: the PortOne sandbox as PortOne, the kit served on a real loopback port (so the
// sandbox's signed webhooks reach it), hooks recorded, every log line captured, and a "browser" that
// does what the checkout elements do — prepare, drive the payment window, post the result to complete.
import type { PaymentResponse } from '@portone/browser-sdk/v2';
import { createSandbox, type Sandbox, type SandboxOptions, type SandboxOutcome } from '../../src/sandbox/index.js';
import type { PreparedBillingKey, PreparedBillingKeyAndPay, PreparedPayment } from '../../src/contract.js';
import {
  createCheckoutServer,
  type BillingKeyIssuedEvent,
  type CancelledEvent,
  type CheckoutServer,
  type CheckoutServerOptions,
  type FailedEvent,
  type PaidEvent,
  type VirtualAccountIssuedEvent,
} from '../../src/server/index.js';
import { serveCheckout, type ServedCheckout } from '../../src/server/node.js';
import { createSqliteStore } from '../../src/server/store/sqlite/index.js';
import { call, post, priceOrder } from './support.js';

export interface Hooks {
  paid: PaidEvent[];
  virtualAccountIssued: VirtualAccountIssuedEvent[];
  failed: FailedEvent[];
  cancelled: CancelledEvent[];
  billingKeyIssued: BillingKeyIssuedEvent[];
}

export interface Env {
  sandbox: Sandbox;
  kit: CheckoutServer;
  served: ServedCheckout;
  hooks: Hooks;
  /** Every line the kit logged, with its fields, as text. */
  logs: string[];
  /** Every response body the tests received from the kit, as text (to check for secrets). */
  bodies: string[];
  /** POST a JSON body to a route of the kit; records the answer. */
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** Prepares a cart, as the element does before the click. */
  prepare(cart: unknown): Promise<PreparedPayment>;
  /** The window: `requestPayment` with what prepare answered, amended like a tampering browser would. */
  pay(prepared: PreparedPayment, outcome?: SandboxOutcome, amend?: Record<string, unknown>): Promise<PaymentResponse>;
  /** prepare → pay → complete, as the element does. */
  checkout(cart?: unknown, outcome?: SandboxOutcome): Promise<{ prepared: PreparedPayment; result: PaymentResponse; complete: { status: number; body: any } }>;
}

export interface EnvOptions {
  sandbox?: SandboxOptions;
  /** Kit options over the harness's; a function gets the sandbox (for its channel keys). */
  kit?: Partial<CheckoutServerOptions> | ((sandbox: Sandbox) => Partial<CheckoutServerOptions>);
  /** Serve the kit under this base path (the webhook URL follows). */
  basePath?: string;
}

export const BUYER = { fullName: '김하나', phoneNumber: '010-1234-5678', email: 'hana@example.com' };
export const CART = { items: [{ id: 'beans', quantity: 1 }], customer: BUYER };

export async function startEnv(t: { after: (fn: () => Promise<void>) => void }, options: EnvOptions = {}): Promise<Env> {
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80], ...options.sandbox });
  const hooks: Hooks = { paid: [], virtualAccountIssued: [], failed: [], cancelled: [], billingKeyIssued: [] };
  const logs: string[] = [];
  const bodies: string[] = [];
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) => logs.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  const basePath = options.basePath ?? '';
  const kit = createCheckoutServer({
    portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
    webhookSecret: sandbox.webhookSecrets.length === 2 ? [sandbox.webhookSecrets[0]!, sandbox.webhookSecrets[1]!] : sandbox.webhookSecret,
    priceOrder,
    store: createSqliteStore({ path: ':memory:' }),
    allowTestChannels: true,
    channelKeys: { payment: sandbox.channelKeys.payment, billingKey: sandbox.channelKeys.billingKey, billingKeyAndPay: sandbox.channelKeys.billingKeyAndPay },
    hookPollMs: 0,
    basePath,
    now: () => sandbox.now(),
    logger: { info: line('info'), warn: line('warn'), error: line('error') },
    onPaid: (e) => void hooks.paid.push(e),
    onVirtualAccountIssued: (e) => void hooks.virtualAccountIssued.push(e),
    onFailed: (e) => void hooks.failed.push(e),
    onCancelled: (e) => void hooks.cancelled.push(e),
    onBillingKeyIssued: (e) => void hooks.billingKeyIssued.push(e),
    ...(typeof options.kit === 'function' ? options.kit(sandbox) : options.kit),
  });
  const served = await serveCheckout(kit);
  sandbox.setWebhookUrls([`${served.url}${basePath}/webhooks`]);
  t.after(async () => {
    await sandbox.flushWebhooks().catch(() => {});
    await served.close();
    await kit.close();
    await sandbox.close();
  });

  const env: Env = {
    sandbox,
    kit,
    served,
    hooks,
    logs,
    bodies,
    async post(path, body) {
      const answer = await call(kit, post(`${basePath}${path}`, body));
      bodies.push(JSON.stringify(answer.body));
      return answer;
    },
    async prepare(cart) {
      const answer = await env.post('/payments/prepare', cart);
      if (answer.status !== 200) throw new Error(`prepare answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body as PreparedPayment;
    },
    pay(prepared, outcome, amend = {}) {
      return sandbox.pay(
        {
          paymentId: prepared.paymentId,
          orderName: prepared.orderName,
          totalAmount: prepared.totalAmount,
          currency: prepared.currency,
          payMethod: 'CARD',
          ...(prepared.channelKey ? { channelKey: prepared.channelKey } : {}),
          ...(prepared.customer ? { customer: prepared.customer } : {}),
          ...(prepared.customData ? { customData: prepared.customData } : {}),
          ...amend,
        } as never,
        outcome,
      );
    },
    async checkout(cart = CART, outcome) {
      const prepared = await env.prepare(cart);
      const result = await env.pay(prepared, outcome);
      const complete = await env.post('/payments/complete', result);
      return { prepared, result, complete };
    },
  };
  return env;
}

/** The billing-key window, with what billing-keys/prepare answered (as the element passes it). */
export function issueKey(env: Env, prepared: PreparedBillingKey, outcome?: SandboxOutcome, amend: Record<string, unknown> = {}) {
  return env.sandbox.issueBillingKey(
    {
      issueId: prepared.issueId,
      issueName: prepared.issueName,
      ...(prepared.channelKey ? { channelKey: prepared.channelKey } : {}),
      customer: { ...BUYER, ...prepared.customer },
      ...(prepared.customData ? { customData: prepared.customData } : {}),
      ...(prepared.displayAmount !== undefined ? { displayAmount: prepared.displayAmount, currency: prepared.currency } : {}),
      ...(prepared.offerPeriodInterval ? { offerPeriod: { interval: prepared.offerPeriodInterval } } : {}),
      ...amend,
    } as never,
    outcome,
  );
}

/** The billing-key-and-pay window (mobile phone), with what billing-key-and-pay/prepare answered. */
export function issueKeyAndPay(env: Env, prepared: PreparedBillingKeyAndPay, outcome?: SandboxOutcome, amend: Record<string, unknown> = {}) {
  return env.sandbox.issueBillingKeyAndPay(
    {
      paymentId: prepared.paymentId,
      orderName: prepared.orderName,
      totalAmount: prepared.totalAmount,
      currency: prepared.currency,
      ...(prepared.channelKey ? { channelKey: prepared.channelKey } : {}),
      customer: { ...BUYER, ...prepared.customer },
      ...(prepared.customData ? { customData: prepared.customData } : {}),
      productType: prepared.productType ?? 'DIGITAL',
      ...(prepared.offerPeriodInterval ? { offerPeriod: { interval: prepared.offerPeriodInterval } } : {}),
      ...amend,
    } as never,
    outcome,
  );
}

export async function prepareBillingKey(env: Env, body: unknown): Promise<PreparedBillingKey> {
  const answer = await env.post('/billing-keys/prepare', body);
  if (answer.status !== 200) throw new Error(`billing-keys/prepare answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as PreparedBillingKey;
}

export async function prepareBillingKeyAndPay(env: Env, body: unknown): Promise<PreparedBillingKeyAndPay> {
  const answer = await env.post('/billing-key-and-pay/prepare', body);
  if (answer.status !== 200) throw new Error(`billing-key-and-pay/prepare answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as PreparedBillingKeyAndPay;
}

/** Waits until `check` holds, giving the sandbox's webhooks time to arrive. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

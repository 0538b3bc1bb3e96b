// Public shape of the PortOne sandbox: what `createSandbox` takes and what it hands back.
// The kit's tests, the sample shop and shops' own CI code against this interface.
import type { Payment, PaymentWebhook } from '@portone/server-sdk/payment';
import type { BillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { PaymentSchedule } from '@portone/server-sdk/payment/paymentSchedule';

/** A channel the sandbox's store has, as PortOne's console would list it. */
export interface SandboxChannel {
  key: string;
  name: string;
  /** `TEST` channels are what PortOne gives for testing; the kit refuses them unless told otherwise. */
  type: 'LIVE' | 'TEST';
  pgProvider: 'INICIS_V2';
  pgMerchantId: string;
}

/** Per-route fault injection for the REST API. Route keys look like `GET /payments/:id`, or `*`. */
export interface RouteFault {
  /** 0…1: share of requests answered with a 5xx (`{"type":"INTERNAL_SERVER_ERROR"}`-style JSON). */
  failureRate?: number;
  /** Extra latency added to every answer, in ms. */
  latencyMs?: number;
  /** 0…1: share of requests that never get an answer until the client gives up. */
  hangRate?: number;
}

/** Fault injection for webhook deliveries. */
export interface WebhookFault {
  /** 0…1: share of deliveries silently never sent (and not retried). */
  dropRate?: number;
  /** 0…1: share of deliveries sent twice (same `webhook-id`). */
  duplicateRate?: number;
  /** Delay before each delivery, in ms. */
  delayMs?: number;
  /** Hold deliveries and send them in reverse order when flushed. */
  reorder?: boolean;
}

export interface SandboxFaults {
  routes?: Record<string, RouteFault>;
  webhooks?: WebhookFault;
  /** Seed for the fault dice, so a failing run can be replayed. */
  seed?: number;
}

export interface SandboxOptions {
  /** Default 0: a free port. Always binds 127.0.0.1 unless `host` says otherwise. */
  port?: number;
  host?: string;
  storeId?: string;
  /** The `PortOne <secret>` credential; generated when omitted. */
  apiSecret?: string;
  /** `whsec_…` (base64 key); generated when omitted. Two for rotation: both sign every delivery. */
  webhookSecret?: string | [string, string];
  /** Defaults: a TEST card/payment channel, a TEST billing channel, a TEST phone billing channel, and one LIVE channel. */
  channels?: SandboxChannel[];
  /** Where webhooks go when a request has no `noticeUrls`. */
  webhookUrls?: string[];
  /** Delays before each retry of a failed delivery, ms. Default PortOne's 0, 1, 4, 16, 64, 256 minutes. */
  webhookRetryDelaysMs?: number[];
  /** Persist state to this JSON file and load it at start (the sample shop uses this). */
  persistPath?: string;
  /** `real` (default): schedules fire on wall-clock time. `manual`: time moves only with `advance()`. */
  clock?: 'real' | 'manual';
  /** Initial clock time for `manual`, ms since epoch. */
  now?: number;
  faults?: SandboxFaults;
  /** Default: silent. */
  log?: (line: string) => void;
}

/** How the next payment window ends when a test scripts it instead of clicking. */
export type SandboxOutcome =
  | { result: 'approve'; easyPayProvider?: string; cardCompany?: string }
  | { result: 'decline'; pgCode?: string; pgMessage?: string }
  | { result: 'cancel' };

/** One attempt to deliver one webhook. */
export interface SandboxWebhookDelivery {
  webhookId: string;
  url: string;
  type: string;
  body: string;
  attempt: number;
  /** HTTP status the receiver answered, or undefined when the request failed. */
  status?: number;
  ok: boolean;
  at: string;
}

export interface Sandbox {
  /** Base URL of the REST API, e.g. `http://127.0.0.1:8787` (pass it as the server SDK's `baseUrl`). */
  readonly url: string;
  /** The browser SDK runtime to load instead of PortOne's CDN: `${url}/v2/browser-sdk.js`. */
  readonly sdkUrl: string;
  /** Dashboard page (deposits, schedules, webhook log). */
  readonly dashboardUrl: string;
  readonly storeId: string;
  readonly apiSecret: string;
  /** The first (current) webhook secret. */
  readonly webhookSecret: string;
  readonly channels: readonly SandboxChannel[];
  /** Convenience picks from `channels`. */
  readonly channelKeys: { payment: string; billingKey: string; billingKeyAndPay: string; live: string };

  /** Queue how the next window(s) end; each window takes the oldest queued outcome. */
  nextOutcome(outcome: SandboxOutcome): void;
  /** Current sandbox time, ms since epoch. */
  now(): number;
  /** Move the clock forward: runs due schedules, expires virtual accounts, fires due webhook retries. */
  advance(ms: number): Promise<void>;
  /** Deposit into an issued virtual account (default: the full amount). Marks the payment PAID. */
  deposit(paymentId: string, amount?: number): Promise<Payment>;
  /** Replace the fault configuration (`{}` clears it). */
  setFaults(faults: SandboxFaults): void;
  /** Replace the default webhook URLs. */
  setWebhookUrls(urls: string[]): void;
  /** Every delivery attempt so far, oldest first. */
  webhookDeliveries(): readonly SandboxWebhookDelivery[];
  /** Resolve once no webhook delivery is in flight or held (reordered ones are released). */
  flushWebhooks(): Promise<void>;
  /** Direct reads of the state, for assertions. */
  payment(paymentId: string): Payment | undefined;
  billingKey(billingKey: string): BillingKeyInfo | undefined;
  schedules(): readonly PaymentSchedule[];
  /** Forget all payments, billing keys, schedules, outcomes and faults. */
  reset(): void;
  close(): Promise<void>;
}

export type { Payment, PaymentWebhook, BillingKeyInfo, PaymentSchedule };

// The developer's tools on webhooks: `trigger` fires a realistic, signed webhook — for an existing
// payment or billing key that has been through that event, or for one it makes up through the
// same paths a shopper's window and the REST API take (so the payment a shop then reads agrees
// with the webhook) — and `replay` re-signs a captured body (from production logs) and delivers it.
import { randomUUID } from 'node:crypto';
import type { IssueBillingKeyResponse, PaymentResponse } from '../client/portone-types.js';
import type { Auth } from './auth.js';
import type { Checkout } from './checkout/checkout.js';
import type { SandboxCore } from './core/core.js';
import type { BillingKeyEventType, PaymentEventType } from './core/emitter.js';
import type { BillingKeyEntry, PaymentEntry } from './core/state.js';
import { usageError } from './errors.js';
import { uuidv7 } from './ids.js';
import { describe, isObject } from './input.js';
import { deleteBillingKey } from './rest/billing-keys.js';
import { cancelPayment } from './rest/payments.js';
import { checkWebhookUrls } from './options.js';
import { SANDBOX_CUSTOMER } from './defaults.js';
import { TRIGGER_EVENTS, type SandboxOutcome, type SandboxTriggerEvent, type SandboxTriggerOptions, type SandboxTriggerResult, type SandboxWebhookDelivery } from './types.js';


const usage = (message: string) => usageError(new TypeError(message));

export interface TriggerDeps {
  core: SandboxCore;
  checkout: Checkout;
  auth: Auth;
  /** The Node-driven windows of the Sandbox object (same checkout server as a browser's). */
  pay(request: Record<string, unknown>, outcome: SandboxOutcome): Promise<PaymentResponse>;
  issueBillingKey(outcome: SandboxOutcome): Promise<IssueBillingKeyResponse>;
  /** How long to wait for the first delivery attempts before answering. */
  deliveryWaitMs: number;
}

/** Whether an existing payment has been through `event`, and the cancellation it would name. */
function paymentFits(event: PaymentEventType, entry: PaymentEntry): { fits: true; cancellationId?: string } | { fits: false; why: string } {
  const p = entry.payment;
  const cancellations = ('cancellations' in p ? p.cancellations ?? [] : []).map((c) => (c as { id: string }).id);
  switch (event) {
    case 'Transaction.Ready':
      return { fits: true };
    case 'Transaction.Paid':
      return 'paidAt' in p && p.paidAt ? { fits: true } : { fits: false, why: 'a payment that was paid (PAID, PARTIAL_CANCELLED, CANCELLED)' };
    case 'Transaction.VirtualAccountIssued':
      return p.method?.type === 'PaymentMethodVirtualAccount' && p.status !== 'READY' ? { fits: true } : { fits: false, why: 'a virtual-account payment whose account was issued' };
    case 'Transaction.Failed':
      return p.status === 'FAILED' ? { fits: true } : { fits: false, why: 'a FAILED payment' };
    case 'Transaction.Cancelled':
      return p.status === 'CANCELLED' ? { fits: true, cancellationId: cancellations.at(-1)! } : { fits: false, why: 'a CANCELLED payment' };
    case 'Transaction.PartialCancelled': {
      // The last cancellation after which money was left: the last one while PARTIAL_CANCELLED, else the one before.
      const id = p.status === 'PARTIAL_CANCELLED' ? cancellations.at(-1) : cancellations.length >= 2 ? cancellations.at(-2) : undefined;
      return id ? { fits: true, cancellationId: id } : { fits: false, why: 'a payment partially cancelled at least once' };
    }
  }
}

function billingKeyFits(event: BillingKeyEventType, entry: BillingKeyEntry): string | undefined {
  switch (event) {
    case 'BillingKey.Ready':
      return undefined;
    case 'BillingKey.Issued':
      return entry.status === 'ISSUED' || entry.status === 'DELETED' ? undefined : 'an issued billing key';
    case 'BillingKey.Failed':
      return entry.status === 'FAILED' ? undefined : 'a billing key whose window failed';
    case 'BillingKey.Deleted':
      return entry.status === 'DELETED' ? undefined : 'a deleted billing key';
  }
}

export function createTriggers(deps: TriggerDeps) {
  const { core } = deps;
  const { runtime, emitter, webhooks } = core;

  /** Runs `work`, then waits for the first attempt of every webhook it sent. */
  const collect = async <T>(work: () => Promise<T>): Promise<[T, SandboxWebhookDelivery[]]> => {
    const ids: string[] = [];
    const stop = webhooks.onEnqueue((job) => ids.push(job.webhookId));
    let value: T;
    try {
      value = await work();
    } finally {
      stop();
    }
    return [value, await webhooks.firstAttempts(ids, deps.deliveryWaitMs)];
  };

  const rest = (params: string[], body: Record<string, unknown>, query = '') => ({ core, auth: deps.auth, params, query: new URLSearchParams(query), body });

  /** A payment that goes through `event` now, made up through the window and the REST API. */
  async function madeUpPayment(event: PaymentEventType): Promise<string> {
    const paymentId = `trigger-${randomUUID()}`;
    const request = { paymentId, orderName: `샌드박스 ${event}`, totalAmount: 10_000 };
    if (event === 'Transaction.Ready') {
      deps.checkout.prepare({
        transactionType: 'PAYMENT',
        request: { storeId: runtime.storeId, channelKey: runtime.credentials.channels[0]!.key, currency: 'KRW', payMethod: 'CARD', customer: SANDBOX_CUSTOMER, ...request },
        client: { userAgent: 'portone-sandbox trigger' },
      });
      return paymentId;
    }
    if (event === 'Transaction.Failed') {
      await deps.pay(request, { result: 'decline' });
      return paymentId;
    }
    await deps.pay({ ...request, ...(event === 'Transaction.VirtualAccountIssued' ? { payMethod: 'VIRTUAL_ACCOUNT' } : {}) }, { result: 'approve' });
    if (event === 'Transaction.Cancelled') cancelPayment(rest([paymentId], { reason: '샌드박스 trigger' }));
    if (event === 'Transaction.PartialCancelled') cancelPayment(rest([paymentId], { reason: '샌드박스 trigger', amount: 1_000 }));
    return paymentId;
  }

  async function madeUpBillingKey(event: BillingKeyEventType): Promise<string> {
    if (event === 'BillingKey.Ready') {
      const { answer } = deps.checkout.prepare({
        transactionType: 'ISSUE_BILLING_KEY',
        request: { storeId: runtime.storeId, channelKey: (runtime.credentials.channels[1] ?? runtime.credentials.channels[0]!).key, billingKeyMethod: 'CARD', issueId: `issue-${randomUUID()}`, issueName: '샌드박스 trigger', customer: SANDBOX_CUSTOMER },
        client: { userAgent: 'portone-sandbox trigger' },
      });
      return answer.billingKey!;
    }
    const issued = await deps.issueBillingKey({ result: event === 'BillingKey.Failed' ? 'cancel' : 'approve' });
    if (event === 'BillingKey.Deleted') deleteBillingKey(rest([issued.billingKey], {}, 'reason=sandbox%20trigger'));
    return issued.billingKey;
  }

  return {
    /**
     * Fires `event`'s webhook: for `paymentId` / `billingKey` when given (it must have been through
     * that event; the webhook is recorded on the payment as a MANUAL one), else for a payment or
     * key made up now (with every webhook its making sends, as PortOne would).
     */
    async trigger(event: SandboxTriggerEvent, options: SandboxTriggerOptions = {}): Promise<SandboxTriggerResult> {
      if (typeof event !== 'string' || !(TRIGGER_EVENTS as readonly string[]).includes(event)) {
        throw usage(`trigger: expected one of ${TRIGGER_EVENTS.join(', ')}, got ${describe(event)}`);
      }
      if (!isObject(options)) throw usage(`trigger: expected options like { paymentId } or { billingKey }, got ${describe(options)}`);
      const { paymentId, billingKey } = options;
      const forKey = event.startsWith('BillingKey.');
      if (paymentId !== undefined && (forKey || typeof paymentId !== 'string')) throw usage(`trigger: ${forKey ? `${event} is about a billing key: pass billingKey, not paymentId` : `expected paymentId as a string, got ${describe(paymentId)}`}`);
      if (billingKey !== undefined && (!forKey || typeof billingKey !== 'string')) throw usage(`trigger: ${!forKey ? `${event} is about a payment: pass paymentId, not billingKey` : `expected billingKey as a string, got ${describe(billingKey)}`}`);

      if (!forKey) {
        const type = event as PaymentEventType;
        if (paymentId === undefined) {
          const [id, deliveries] = await collect(() => madeUpPayment(type));
          return { paymentId: id, deliveries };
        }
        const entry = runtime.state.payments.get(paymentId);
        if (!entry) throw usage(`trigger: payment ${JSON.stringify(paymentId)} does not exist (omit paymentId to make one up)`);
        const fit = paymentFits(type, entry);
        if (!fit.fits) throw usage(`trigger: payment ${JSON.stringify(paymentId)} is ${entry.payment.status}; ${event} fits ${fit.why}`);
        const [, deliveries] = await collect(async () => emitter.emitPayment(type, entry, { trigger: 'MANUAL', ...(fit.cancellationId ? { cancellationId: fit.cancellationId } : {}) }));
        return { paymentId, deliveries };
      }
      const type = event as BillingKeyEventType;
      if (billingKey === undefined) {
        const [key, deliveries] = await collect(() => madeUpBillingKey(type));
        return { billingKey: key, deliveries };
      }
      const entry = runtime.state.billingKeys.get(billingKey);
      if (!entry) throw usage(`trigger: billing key ${JSON.stringify(billingKey)} does not exist (omit billingKey to make one up)`);
      const why = billingKeyFits(type, entry);
      if (why) throw usage(`trigger: billing key ${JSON.stringify(billingKey)} is ${entry.status}; ${event} fits ${why}`);
      const [, deliveries] = await collect(async () => emitter.emitBillingKey(type, entry));
      return { billingKey, deliveries };
    },

    /**
     * Delivers a captured webhook body again, re-signed with the sandbox's secrets (fresh id and
     * timestamp; the body exactly as given), to `urls` or else the store's webhook URLs, retried
     * on PortOne's schedule like any webhook. It is not recorded on any payment.
     */
    async replay(body: string, options: { urls?: string[] } = {}): Promise<SandboxWebhookDelivery[]> {
      if (typeof body !== 'string') throw usage(`replay: expected the webhook body as text, got ${describe(body)}`);
      const text = body.trim();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw usage(`replay: the body is not JSON (${(error as Error).message})`);
      }
      if (!isObject(parsed) || typeof parsed.type !== 'string' || parsed.type === '') {
        throw usage(`replay: expected a webhook body like {"type":"Transaction.Paid","timestamp":…,"data":{…}}, got ${isObject(parsed) ? `no "type"` : describe(parsed)}`);
      }
      const urls = options.urls === undefined ? emitter.webhookUrls : checkWebhookUrls(options.urls, 'replay: urls');
      if (urls.length === 0) throw usage('replay: no webhook URL to deliver to: pass urls, or set the sandbox\'s webhookUrls');
      const type = parsed.type;
      const [, deliveries] = await collect(async () => {
        for (const url of urls) webhooks.enqueue({ webhookId: uuidv7(runtime.now()), url, type, body: text });
      });
      return deliveries;
    },

  };
}

export type Triggers = ReturnType<typeof createTriggers>;


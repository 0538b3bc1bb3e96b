// The webhook route: the raw body through the SDK's Webhook.verify (each configured secret, for
// rotation), deduplication on `webhook-id`, then the same sync the complete route uses — the body is
// only a hint of which payment or billing key changed; PortOne's REST answer is the truth.
import { Webhook } from '@portone/server-sdk';
import type { KitContext } from './context.js';
import { CheckoutError, show } from './errors.js';
import { readText } from './http.js';
import type { Outbox } from './outbox.js';
import { syncBillingKey } from './billing-keys.js';
import { syncPayment } from './sync.js';

export interface WebhookAnswer {
  received: true;
  /** `processed`: acted on; `ignored`: not for this shop or of no interest; `duplicate`: this webhook-id was handled before. */
  outcome: 'processed' | 'ignored' | 'duplicate';
}

/** A delivery left `processing` this long (a crashed instance) may be taken over by a retry. */
const PROCESSING_LEASE_MS = 2 * 60_000;

/** Verifies against each secret in turn; reports why the last one failed. */
async function verify(secrets: readonly string[], body: string, headers: Record<string, string>): Promise<Webhook.Webhook> {
  let failure: unknown;
  for (const secret of secrets) {
    try {
      return await Webhook.verify(secret, body, headers);
    } catch (error) {
      failure = error;
      // Header and timestamp problems are the same for every secret.
      if (error instanceof Webhook.WebhookVerificationError && error.reason !== 'NO_MATCHING_SIGNATURE') break;
      if (error instanceof SyntaxError) break;
    }
  }
  if (failure instanceof Webhook.WebhookVerificationError) {
    const expected: Record<Webhook.WebhookVerificationFailureReason, string> = {
      MISSING_REQUIRED_HEADERS: 'webhook-id, webhook-timestamp and webhook-signature headers (one value each)',
      NO_MATCHING_SIGNATURE: 'a v1 signature made with the configured webhook secret',
      INVALID_SIGNATURE: 'a numeric webhook-timestamp',
      TIMESTAMP_TOO_OLD: 'a webhook-timestamp within 5 minutes of now',
      TIMESTAMP_TOO_NEW: 'a webhook-timestamp within 5 minutes of now',
    };
    throw new CheckoutError('WEBHOOK_VERIFICATION_FAILED', `expected ${expected[failure.reason]}, got ${failure.reason}`);
  }
  if (failure instanceof SyntaxError) {
    throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', 'expected a JSON webhook body, got a correctly signed body that is not JSON');
  }
  throw new CheckoutError('WEBHOOK_VERIFICATION_FAILED', `expected a verifiable webhook, got one the verifier refused (${failure instanceof Error ? failure.name : 'unknown error'})`);
}

export async function handleWebhook(ctx: KitContext, outbox: Outbox, request: Request): Promise<WebhookAnswer> {
  // The signature covers the exact bytes: read them as text, never as parsed JSON.
  const body = await readText(request, ctx.options.bodyLimitBytes);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const webhook = await verify(ctx.options.webhookSecrets, body, headers);
  const webhookId = headers['webhook-id']!;

  const type = typeof (webhook as { type?: unknown })?.type === 'string' ? (webhook as { type: string }).type : undefined;
  if (type === undefined) throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', `type: expected a webhook type like "Transaction.Paid", got ${show((webhook as { type?: unknown })?.type)}`);
  const data = (webhook as { data?: unknown }).data;
  const field = (name: string): string | undefined => {
    const value = data && typeof data === 'object' ? (data as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const isPayment = type.startsWith('Transaction.');
  const isBillingKey = type.startsWith('BillingKey.');
  const paymentId = isPayment ? field('paymentId') : undefined;
  const billingKey = isBillingKey ? field('billingKey') : undefined;
  if (isPayment && paymentId === undefined) throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', `data.paymentId: expected a paymentId for ${type}, got ${show(field('paymentId'))}`);
  if (isBillingKey && billingKey === undefined) throw new CheckoutError('INVALID_WEBHOOK_PAYLOAD', `data.billingKey: expected a billing key for ${type}, got nothing`);

  const claim = await ctx.store.claimWebhook({
    webhookId,
    type,
    ...(paymentId ? { paymentId } : {}),
    ...(billingKey ? { billingKey } : {}),
    now: ctx.options.now(),
    leaseMs: PROCESSING_LEASE_MS,
  });
  if (claim === 'duplicate') return { received: true, outcome: 'duplicate' };
  if (claim === 'in-progress') {
    // Not acknowledged: if the first delivery's processing fails, this one's retry must still count.
    throw new CheckoutError('WEBHOOK_IN_PROGRESS', `webhook ${webhookId}: expected one delivery at a time, got a duplicate while the first is still being processed; retry later`, {
      retryAfterSeconds: 5,
    });
  }

  try {
    let outcome: 'processed' | 'ignored' = 'ignored';
    let note: string | undefined;
    const storeId = field('storeId');
    if (storeId !== undefined && storeId !== ctx.options.portone.storeId) {
      note = `for store ${storeId}, not this shop's`;
    } else if (paymentId !== undefined) {
      if (type === 'Transaction.Confirm') {
        note = 'manual-confirm webhooks are not used by this kit';
      } else {
        const order = await ctx.store.getOrder(paymentId);
        if (!order) {
          note = 'no order with this paymentId';
        } else {
          const synced = await syncPayment(ctx, paymentId, order, { noteStarted: true, claim: outbox.newClaim() });
          await outbox.run(synced.events, synced.claimed, synced.order);
          outcome = 'processed';
          note = `order ${synced.order.status}`;
        }
      }
    } else if (billingKey !== undefined) {
      outcome = await syncBillingKey(ctx, outbox, billingKey, type);
    } else {
      note = `unknown type ${type}`;
    }
    await ctx.store.finishWebhook(webhookId, outcome, note);
    return { received: true, outcome };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.store.finishWebhook(webhookId, 'failed', ctx.redact(message).slice(0, 500)).catch(() => {});
    throw error;
  }
}

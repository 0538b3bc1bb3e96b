// The webhook route: the raw body through the SDK's Webhook.verify (each configured secret, for
// rotation), deduplication on `webhook-id`, then the same sync the complete route uses — the body is
// only a hint of which payment or billing key changed; PortOne's REST answer is the truth.
import { Webhook } from '@portone/server-sdk';
import type { KitContext } from './context.js';
import { CheckoutError, show } from './errors.js';
import { readText } from './http.js';
import type { Outbox } from './outbox.js';
import { syncBillingKey } from './billing-keys.js';
import { customDataId } from './ids.js';
import { readPayment } from './reads.js';
import { syncPayment } from './sync.js';

export interface WebhookAnswer {
  received: true;
  /** `processed`: acted on; `ignored`: not for this shop or of no interest; `duplicate`: this webhook-id was handled before. */
  outcome: 'processed' | 'ignored' | 'duplicate';
}


/** Verifies a signed body (webhooks, the confirm process) against each secret in turn; reports why the last one failed. */
export async function verifyWebhook(secrets: readonly string[], body: string, headers: Record<string, string>): Promise<Webhook.Webhook> {
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
  const webhook = await verifyWebhook(ctx.options.webhookSecrets, body, headers);
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

  // Claimed like outbox events, and held (renewed) while it is processed: a retry finds it in progress
  // while this kit works on it, and takes it over once the claim of a kit that died has run out.
  const { claim: token } = outbox.newClaim();
  const claim = await ctx.store.claimWebhook({
    webhookId,
    claim: token,
    type,
    ...(paymentId ? { paymentId } : {}),
    ...(billingKey ? { billingKey } : {}),
    now: ctx.options.now(),
    leaseMs: outbox.leaseMs,
  });
  if (claim === 'duplicate') return { received: true, outcome: 'duplicate' };
  if (claim === 'in-progress') {
    // Not acknowledged: if the first delivery's processing fails, this one's retry must still count.
    throw new CheckoutError('WEBHOOK_IN_PROGRESS', `webhook ${webhookId}: expected one delivery at a time, got a duplicate while the first is still being processed; retry later`, {
      retryAfterSeconds: 5,
    });
  }

  const delivery = { webhookId, claim: token };
  return outbox.hold(async () => {
    try {
      const { outcome, note } = await processWebhook(ctx, outbox, type, { paymentId, billingKey, storeId: field('storeId') });
      await ctx.store.finishWebhook(delivery, outcome, note);
      return { received: true, outcome };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await ctx.store.finishWebhook(delivery, 'failed', ctx.redact(message).slice(0, 500)).catch(() => false);
      throw error;
    }
  });
}

/** Webhooks that mean money was taken, or an account issued for it. */
const MONEY_TAKEN = new Set(['Transaction.Paid', 'Transaction.VirtualAccountIssued']);

/**
 * Money PortOne took for an order this kit does not have, whose customData names one of the kit's
 * order ids: an order `pruneAbandoned` deleted, paid later from the tab that prepared it (or one
 * prepared by another deployment on this store). Nothing would ever fulfil or refund it, so the shop
 * is told, loudly. Not refunded automatically: a staging kit receiving production's webhooks would
 * refund real orders.
 */
async function orphanNote(ctx: KitContext, type: string, paymentId: string): Promise<string | undefined> {
  if (!MONEY_TAKEN.has(type)) return undefined;
  const payment = await readPayment(ctx, paymentId).catch(() => undefined);
  const orderId = payment ? customDataId(payment.customData, 'orderId') : undefined;
  if (!payment || orderId === undefined || !orderId.startsWith('ord_')) return undefined;
  const note = `PortOne holds payment ${paymentId} ${payment.status} (${payment.amount.total} ${payment.currency}) for order ${orderId}, which this kit does not have (pruned by pruneAbandoned, or prepared by another deployment on this store): nothing fulfils it; refund it in PortOne's console if it is this shop's`;
  ctx.log.error(note, { paymentId });
  return note.slice(0, 500);
}

/** Acts on one claimed delivery: the body only says which payment or key to sync with PortOne. */
async function processWebhook(
  ctx: KitContext,
  outbox: Outbox,
  type: string,
  about: { paymentId: string | undefined; billingKey: string | undefined; storeId: string | undefined },
): Promise<{ outcome: 'processed' | 'ignored'; note?: string }> {
  if (about.storeId !== undefined && about.storeId !== ctx.options.portone.storeId) return { outcome: 'ignored', note: `for store ${about.storeId}, not this shop's` };
  if (about.paymentId !== undefined) {
    // The confirm process is answered at {basePath}/confirm (the prepare's confirmUrl), not here.
    if (type === 'Transaction.Confirm') return { outcome: 'ignored', note: 'the confirm process is answered at the confirm route' };
    const order = await ctx.store.getOrder(about.paymentId);
    if (!order) return { outcome: 'ignored', note: (await orphanNote(ctx, type, about.paymentId)) ?? 'no order with this paymentId' };
    const synced = await syncPayment(ctx, about.paymentId, order, { noteStarted: true, claim: outbox.newClaim() });
    await outbox.run(synced.events, synced.claimed, synced.order);
    return { outcome: 'processed', note: `order ${synced.order.status}` };
  }
  if (about.billingKey !== undefined) return { outcome: await syncBillingKey(ctx, outbox, about.billingKey, type) };
  return { outcome: 'ignored', note: `unknown type ${type}` };
}

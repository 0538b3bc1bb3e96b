// Webhook emission: which event a state change sends, to which URLs (the request's `noticeUrls`,
// else the store's), and its record in `Payment.webhooks`, updated after every delivery attempt.
// Delivery itself (signing, retries, faults) is the `WebhookSender`'s.
import type { PaymentWebhook, PaymentWebhookTrigger } from '@portone/server-sdk/payment';
import type { WebhookBillingKey, WebhookTransaction, WebhookTransactionConfirm } from '@portone/server-sdk/webhook';
import { iso, uuidv7 } from '../ids.js';
import type { AttemptResult, WebhookJob, WebhookSender } from '../webhooks.js';
import type { Runtime } from './runtime.js';
import type { BillingKeyEntry, PaymentEntry } from './state.js';

export type PaymentEventType =
  | 'Transaction.Ready'
  | 'Transaction.Paid'
  | 'Transaction.VirtualAccountIssued'
  | 'Transaction.Failed'
  | 'Transaction.Cancelled'
  | 'Transaction.PartialCancelled';

/** How long the confirm process waits for the shop's answer (PortOne's documented 10 s). */
export const CONFIRM_TIMEOUT_MS = 10_000;

export type BillingKeyEventType = 'BillingKey.Ready' | 'BillingKey.Issued' | 'BillingKey.Failed' | 'BillingKey.Deleted';

export class WebhookEmitter {
  /** Where webhooks go when a request named no `noticeUrls`. */
  webhookUrls: string[];

  constructor(
    private readonly runtime: Runtime,
    private readonly sender: WebhookSender,
    webhookUrls: readonly string[],
    /** PortOne's attempt limit, reported as `maxExecutionCount`. */
    private readonly maxAttempts: number,
  ) {
    this.webhookUrls = [...webhookUrls];
  }

  private urlsFor(noticeUrls: string[] | undefined): string[] {
    return noticeUrls?.length ? noticeUrls : this.webhookUrls;
  }

  /** Sends a `Transaction.*` webhook for the payment's current state and records it on the payment. */
  emitPayment(type: PaymentEventType, entry: PaymentEntry, extra: { cancellationId?: string; trigger?: PaymentWebhookTrigger } = {}): void {
    const { runtime } = this;
    const { payment } = entry;
    const payload = {
      type,
      timestamp: iso(runtime.now()),
      data: {
        paymentId: payment.id,
        storeId: payment.storeId,
        transactionId: payment.transactionId,
        ...(extra.cancellationId ? { cancellationId: extra.cancellationId } : {}),
      },
    } as WebhookTransaction;
    const body = JSON.stringify(payload);
    for (const url of this.urlsFor(entry.noticeUrls)) {
      const webhookId = uuidv7(runtime.now());
      const record: PaymentWebhook = {
        id: webhookId,
        url,
        paymentStatus: payment.status,
        isAsync: extra.trigger !== undefined && extra.trigger !== 'MANUAL',
        currentExecutionCount: 0,
        maxExecutionCount: this.maxAttempts,
        ...(extra.trigger ? { trigger: extra.trigger } : {}),
        request: { body, requestedAt: iso(runtime.now()) },
        triggeredAt: iso(runtime.now()),
      };
      payment.webhooks = [...(payment.webhooks ?? []), record];
      runtime.state.touchPayment(payment.id);
      this.sender.enqueue({ webhookId, url, type, body, paymentId: payment.id });
    }
    runtime.persist();
  }

  /** Re-sends an earlier payment webhook as a new, manually triggered one (same body). */
  resendPaymentWebhook(entry: PaymentEntry, original: PaymentWebhook): PaymentWebhook {
    const { runtime } = this;
    const webhookId = uuidv7(runtime.now());
    const body = original.request?.body ?? '';
    const type = (JSON.parse(body || '{}') as { type?: string }).type ?? 'Transaction.Paid';
    const record: PaymentWebhook = {
      id: webhookId,
      url: original.url,
      ...(original.paymentStatus ? { paymentStatus: original.paymentStatus } : {}),
      isAsync: false,
      currentExecutionCount: 0,
      maxExecutionCount: this.maxAttempts,
      trigger: 'MANUAL',
      request: { body, requestedAt: iso(runtime.now()) },
      triggeredAt: iso(runtime.now()),
    };
    entry.payment.webhooks = [...(entry.payment.webhooks ?? []), record];
    runtime.state.touchPayment(entry.payment.id);
    this.sender.enqueue({ webhookId, url: original.url, type, body, paymentId: entry.payment.id });
    runtime.persist();
    return record;
  }

  emitBillingKey(type: BillingKeyEventType, entry: BillingKeyEntry): void {
    const { runtime } = this;
    const payload = { type, timestamp: iso(runtime.now()), data: { billingKey: entry.billingKey, storeId: runtime.storeId } } as WebhookBillingKey;
    const body = JSON.stringify(payload);
    for (const url of this.urlsFor(entry.noticeUrls)) {
      this.sender.enqueue({ webhookId: uuidv7(runtime.now()), url, type, body });
    }
  }

  /**
   * The confirm process: a signed `Transaction.Confirm` POSTed to the request's `confirmUrl` before
   * the payment is approved. Only a 200 approves; any other answer, a failed connection or no
   * answer within `CONFIRM_TIMEOUT_MS` stops the payment, with the answer's `errorMessage` when it
   * sent one (PortOne hands that to the SDK result).
   */
  async confirm(entry: PaymentEntry, confirmUrl: string): Promise<{ approved: true } | { approved: false; message: string }> {
    const { runtime } = this;
    const { payment } = entry;
    const body = JSON.stringify({
      type: 'Transaction.Confirm',
      timestamp: iso(runtime.now()),
      data: { paymentId: payment.id, storeId: payment.storeId, transactionId: payment.transactionId, totalAmount: payment.amount.total },
    } satisfies WebhookTransactionConfirm);
    const result = await this.sender.deliverOnce({ webhookId: uuidv7(runtime.now()), url: confirmUrl, type: 'Transaction.Confirm', body }, CONFIRM_TIMEOUT_MS);
    if (result.status === 200) return { approved: true };
    let errorMessage: unknown;
    try {
      errorMessage = (JSON.parse(result.responseBody ?? '') as { errorMessage?: unknown }).errorMessage;
    } catch {
      // Not JSON: the default message says what came back.
    }
    if (typeof errorMessage === 'string' && errorMessage !== '') return { approved: false, message: errorMessage };
    const why = result.status !== undefined ? `it answered ${result.status}` : `it could not be reached (${result.error})`;
    return { approved: false, message: `고객사 컨펌 프로세스가 결제를 승인하지 않았습니다. (confirmUrl: ${why}; only 200 approves)` };
  }

  /** After each delivery attempt: the payment's webhook record shows it (status, request, response). */
  recordAttempt(job: WebhookJob, result: AttemptResult): void {
    const { runtime } = this;
    if (runtime.closed || !job.paymentId) return;
    const entry = runtime.state.payments.get(job.paymentId);
    const record = entry?.payment.webhooks?.find((w) => w.id === job.webhookId);
    if (!entry || !record) return;
    record.currentExecutionCount = job.attempt;
    record.status = result.ok ? 'SUCCEEDED' : result.status !== undefined ? 'FAILED_NOT_OK_RESPONSE' : 'FAILED_UNEXPECTED_ERROR';
    record.request = { header: JSON.stringify(result.requestHeaders), body: job.body, requestedAt: iso(result.requestedAt) };
    if (result.status !== undefined) {
      record.response = {
        code: String(result.status),
        header: JSON.stringify(result.responseHeaders ?? {}),
        body: result.responseBody ?? '',
        respondedAt: iso(result.respondedAt ?? result.requestedAt),
      };
    }
    runtime.state.touchPayment(job.paymentId);
    runtime.persist();
  }
}

// The sandbox's domain, wired together: the running state and clock, webhook delivery and emission,
// the payment ledger, and charges and schedules. REST handlers, the checkout server (payment
// window) and the Node helpers all change state through these, so each path has the same effects.
import { IdentityVerifications } from '../identity/verifications.js';
import { WebhookSender } from '../webhooks.js';
import type { SandboxFaults, SandboxRestExchange } from '../types.js';
import { Charges } from './charges.js';
import { WebhookEmitter } from './emitter.js';
import { Ledger } from './ledger.js';
import { Runtime } from './runtime.js';
import type { Credentials } from './state.js';

export interface CoreOptions {
  credentials: Credentials;
  webhookUrls: string[];
  retryDelaysMs: readonly number[];
  webhookTimeoutMs: number;
  clock: 'real' | 'manual';
  now?: number;
  faults?: SandboxFaults;
  persistPath?: string;
  /** Shown in the payment window as 상점 and as the holder (예금주) of the virtual accounts it issues. */
  storeName: string;
  /** How long a manual-approval token can be confirmed after the window, ms of sandbox time. */
  manualApprovalTtlMs: number;
  log: (line: string) => void;
  onRestExchange?: (exchange: SandboxRestExchange) => void;
}

export class SandboxCore {
  readonly runtime: Runtime;
  readonly webhooks: WebhookSender;
  readonly emitter: WebhookEmitter;
  readonly ledger: Ledger;
  readonly charges: Charges;
  readonly identities: IdentityVerifications;

  constructor(options: CoreOptions) {
    const runtime = new Runtime({
      credentials: options.credentials,
      clock: options.clock,
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.persistPath ? { persistPath: options.persistPath } : {}),
      storeName: options.storeName,
      manualApprovalTtlMs: options.manualApprovalTtlMs,
      log: options.log,
      ...(options.onRestExchange ? { onRestExchange: options.onRestExchange } : {}),
      pendingWebhooks: () => this.webhooks.pendingJobs(),
    });
    this.runtime = runtime;
    this.webhooks = new WebhookSender({
      clock: runtime.clock,
      dice: () => runtime.currentDice(),
      secrets: () => runtime.credentials.webhookSecrets,
      retryDelaysMs: options.retryDelaysMs,
      timeoutMs: options.webhookTimeoutMs,
      faults: () => runtime.faults.webhooks,
      log: runtime.log,
      onAttempt: (job, result) => this.emitter.recordAttempt(job, result),
      onChange: () => runtime.persist(),
    });
    this.emitter = new WebhookEmitter(runtime, this.webhooks, options.webhookUrls, Math.max(1, options.retryDelaysMs.length));
    this.ledger = new Ledger(runtime, this.emitter);
    this.charges = new Charges(runtime, this.ledger);
    this.identities = new IdentityVerifications(runtime);
  }

  /** Re-arms schedules and expiries after a restore. */
  rearm(): void {
    this.charges.rearm();
    this.ledger.rearm();
  }

  /** Forgets all payments, billing keys, schedules, pending deliveries, outcomes and faults. */
  reset(): void {
    this.runtime.reset();
    this.webhooks.reset();
    this.runtime.persist();
  }

  /**
   * Stops for good: the state file gets its last write (unless `persist: false`), then timers,
   * retries and in-flight deliveries stop without touching the state again.
   */
  close(options: { persist?: boolean } = {}): void {
    if (this.runtime.closed) return;
    this.runtime.close(options);
    this.webhooks.close();
  }
}

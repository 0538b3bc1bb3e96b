// The sandbox's running state: the records (`State`), the clock and the timers keyed by what they
// do, the store's credentials, the fault settings and their dice, the scripted outcome queues, and
// persistence to `persistPath`. The ledger, charges and webhook emission all act through here.
import { ApiError } from '../errors.js';
import { createDice, type Dice } from '../rng.js';
import type { SandboxIdentityOutcome } from '../identity/types.js';
import type { SandboxChannel, SandboxChargeOutcome, SandboxFaults, SandboxOutcome, SandboxRestExchange } from '../types.js';
import type { WebhookJob } from '../webhooks.js';
import { Clock } from './clock.js';
import { State, writeSnapshot, type Credentials } from './state.js';

export interface RuntimeOptions {
  credentials: Credentials;
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
  /** Webhook deliveries still to be attempted, written into every snapshot. */
  pendingWebhooks: () => WebhookJob[];
}

export class Runtime {
  readonly state = new State();
  readonly clock: Clock;
  readonly credentials: Credentials;
  readonly storeName: string;
  readonly manualApprovalTtlMs: number;
  readonly log: (line: string) => void;
  /** Set by the HTTP layer once listening: receipts and windows link here. */
  baseUrl = '';
  /** Told every REST call and its answer (the `onRestExchange` option); the cached hot path is off while set. */
  readonly onRestExchange: ((exchange: SandboxRestExchange) => void) | undefined;
  faults: SandboxFaults;
  /** Precomputed so the REST hot path only compares strings. */
  faultsActive: boolean;
  private dice: Dice;
  /** How the next windows end, when a test scripted it (`nextOutcome`). */
  readonly windowOutcomes: SandboxOutcome[] = [];
  /** How the next server-side charges end, when a test scripted it (`nextChargeOutcome`). */
  readonly chargeOutcomes: SandboxChargeOutcome[] = [];
  /** How the next identity windows end, when a test scripted it (`nextIdentityOutcome`). */
  readonly identityOutcomes: SandboxIdentityOutcome[] = [];
  private readonly timers = new Map<string, number>();
  private persistTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: RuntimeOptions) {
    this.credentials = options.credentials;
    this.storeName = options.storeName;
    this.manualApprovalTtlMs = options.manualApprovalTtlMs;
    this.log = options.log;
    this.onRestExchange = options.onRestExchange;
    this.faults = options.faults ?? {};
    this.faultsActive = hasRouteFaults(this.faults);
    this.dice = createDice(this.faults.seed);
    this.clock = new Clock(options.clock, options.now, (error, label) => this.log(`${label} failed: ${(error as Error).stack ?? error}`));
  }

  get storeId(): string {
    return this.credentials.storeId;
  }

  /** True once `close()` ran: nothing may touch the state or its file any more. */
  get closed(): boolean {
    return this.stopped;
  }

  now(): number {
    return this.clock.now();
  }

  /** Moves the clock forward (running what falls due) and keeps the new time in `persistPath`. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
    this.persist();
  }

  setFaults(faults: SandboxFaults): void {
    this.faults = faults;
    this.faultsActive = hasRouteFaults(faults);
    this.dice = createDice(faults.seed);
  }

  /** The current fault dice (replaced, and so re-seeded, by every `setFaults`). */
  currentDice(): Dice {
    return this.dice;
  }

  rollDice(rate: number | undefined): boolean {
    return this.dice.roll(rate);
  }

  channel(key: string | undefined): SandboxChannel | undefined {
    return key === undefined ? undefined : this.credentials.channels.find((c) => c.key === key);
  }

  /** A channel that takes payments and billing keys (KG Inicis's payment module, not its identity one). */
  paymentChannel(key: string | undefined): SandboxChannel | undefined {
    const channel = this.channel(key);
    return channel?.pgProvider === 'INICIS_V2' ? channel : undefined;
  }

  /** REST storeId rule: absent means the credential's store; any other store is forbidden. */
  checkStore(storeId: unknown): void {
    if (storeId === undefined || storeId === null || storeId === this.storeId) return;
    throw new ApiError('FORBIDDEN', `This API secret cannot access store ${JSON.stringify(storeId)}; it belongs to ${this.storeId}.`);
  }

  /** Runs `task` at sandbox time `at`, replacing whatever was set under the same key. */
  setTimer(key: string, at: number, task: () => void | Promise<void>, label: string): void {
    this.cancelTimer(key);
    const id = this.clock.schedule(at, () => {
      this.timers.delete(key);
      return task();
    }, label);
    this.timers.set(key, id);
  }

  cancelTimer(key: string): void {
    const id = this.timers.get(key);
    if (id !== undefined) this.clock.cancel(id);
    this.timers.delete(key);
  }

  /** Forgets every record, timer, scripted outcome and fault (webhook delivery is reset by its owner). */
  reset(): void {
    for (const id of this.timers.values()) this.clock.cancel(id);
    this.timers.clear();
    this.state.clear();
    this.windowOutcomes.length = 0;
    this.chargeOutcomes.length = 0;
    this.identityOutcomes.length = 0;
    this.setFaults({});
  }

  /** Writes the state file soon (changes within 25 ms share one write). */
  persist(): void {
    if (this.stopped || !this.options.persistPath || this.persistTimer) return;
    this.persistTimer = setTimeout(() => this.flushPersist(), 25);
    this.persistTimer.unref();
  }

  flushPersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (this.stopped || !this.options.persistPath) return;
    writeSnapshot(this.options.persistPath, this.state.snapshot(this.credentials, this.options.pendingWebhooks(), this.clock.snapshot()));
  }

  /**
   * Stops for good: the state file gets its last write now (unless `persist: false`, for a start
   * that never listened and must not overwrite the file another sandbox may own), then the clock
   * stops. Webhook delivery is stopped by its owner.
   */
  close({ persist = true }: { persist?: boolean } = {}): void {
    if (this.stopped) return;
    if (persist) this.flushPersist();
    else if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.stopped = true;
    this.clock.close();
  }
}

function hasRouteFaults(faults: SandboxFaults): boolean {
  return Object.values(faults.routes ?? {}).some((f) => (f.failureRate ?? 0) > 0 || (f.latencyMs ?? 0) > 0 || (f.hangRate ?? 0) > 0 || (f.resetRate ?? 0) > 0);
}

// Webhook delivery as PortOne does it (reference §2): Standard Webhooks headers, signed with every
// active `whsec_` secret, POSTed as application/json, retried on non-2xx on PortOne's schedule with
// a fresh `webhook-timestamp` and the identical body. Faults can drop, duplicate, delay and reorder.
import { createHmac } from 'node:crypto';
import type { Clock } from './core/clock.js';
import type { Dice } from './rng.js';
import type { SandboxWebhookDelivery, WebhookFault } from './types.js';

/** PortOne's schedule: attempt 1 at once, then 1, 4, 16, 64 and 256 minutes after each failure. */
export const PORTONE_RETRY_DELAYS_MS: readonly number[] = [0, 1, 4, 16, 64, 256].map((m) => m * 60_000);
export const PORTONE_WEBHOOK_TIMEOUT_MS = 30_000;

/** One webhook (one event to one URL) and its delivery progress. */
export interface WebhookJob {
  webhookId: string;
  url: string;
  type: string;
  body: string;
  paymentId?: string;
  /** Attempts made so far. */
  attempt: number;
  maxAttempts: number;
  /** Sandbox time of the next attempt, while one is scheduled. */
  nextAt?: number;
}

export interface AttemptResult {
  ok: boolean;
  dropped?: boolean;
  status?: number;
  error?: string;
  requestHeaders: Record<string, string>;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  requestedAt: number;
  respondedAt?: number;
  /** Wall-clock ms until the answer arrived. */
  elapsedMs?: number;
}

export interface WebhookSenderOptions {
  clock: Clock;
  dice: () => Dice;
  secrets: () => readonly string[];
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  faults: () => WebhookFault | undefined;
  log: (line: string) => void;
  /** After every attempt: the emitter records it in `Payment.webhooks`. */
  onAttempt: (job: WebhookJob, result: AttemptResult) => void;
  /** Whenever the set of pending jobs changes (persistence). */
  onChange: () => void;
}

const keyCache = new Map<string, Buffer>();

/** The raw HMAC key of a `whsec_…` secret (base64 after the prefix), as `Webhook.verify` decodes it. */
export function webhookKey(secret: string): Buffer {
  let key = keyCache.get(secret);
  if (!key) {
    const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error(`webhook secret ${secret.slice(0, 10)}…: expected whsec_ followed by base64`);
    key = Buffer.from(base64, 'base64');
    if (key.length === 0) throw new Error('webhook secret: the key after whsec_ is empty');
    keyCache.set(secret, key);
  }
  return key;
}

/** `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret, space-separated. */
export function signWebhook(secrets: readonly string[], id: string, timestamp: string, body: string): string {
  return secrets.map((secret) => `v1,${createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`).join(' ');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const MAX_LOG = 10_000;

export class WebhookSender {
  private readonly log: SandboxWebhookDelivery[] = [];
  private readonly listeners = new Set<(delivery: SandboxWebhookDelivery) => void>();
  private readonly enqueueListeners = new Set<(job: WebhookJob) => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly jobs = new Map<string, WebhookJob>();
  private readonly timers = new Map<string, number>();
  private held: WebhookJob[] = [];
  private heldTimer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  /** Bumped by `reset()`: an attempt started before it neither records nor retries. */
  private generation = 0;

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Starts delivering a new webhook: the first attempt now (or after the first delay). */
  enqueue(job: Omit<WebhookJob, 'attempt' | 'maxAttempts'>): WebhookJob {
    const full: WebhookJob = { ...job, attempt: 0, maxAttempts: Math.max(1, this.options.retryDelaysMs.length) };
    this.jobs.set(full.webhookId, full);
    for (const listener of this.enqueueListeners) listener(full);
    this.scheduleAttempt(full, this.options.retryDelaysMs[0] ?? 0);
    this.options.onChange();
    return full;
  }

  deliveries(): readonly SandboxWebhookDelivery[] {
    return this.log;
  }

  /** Jobs with attempts still to come (persisted, restored on restart). */
  pendingJobs(): WebhookJob[] {
    return [...this.jobs.values()];
  }

  restore(jobs: WebhookJob[]): void {
    for (const job of jobs) {
      this.jobs.set(job.webhookId, job);
      const delay = Math.max(0, (job.nextAt ?? this.options.clock.now()) - this.options.clock.now());
      this.scheduleAttempt(job, delay);
    }
  }

  /** Resolves once nothing is in flight or held; held (reordered) deliveries are released first. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.held.length > 0) this.releaseHeld();
      if (this.inFlight.size === 0) return;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Forgets every job; deliveries already on the wire finish but are neither recorded nor retried. */
  reset(): void {
    this.generation++;
    for (const id of this.timers.values()) this.options.clock.cancel(id);
    this.timers.clear();
    this.jobs.clear();
    this.held = [];
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    this.log.length = 0;
  }

  /** Stops for good: in-flight deliveries are aborted and leave no trace (no record, no retry, no persist). */
  close(): void {
    this.closed = true;
    this.generation++;
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    this.held = [];
    for (const id of this.timers.values()) this.options.clock.cancel(id);
    this.timers.clear();
    this.abort.abort();
  }

  private scheduleAttempt(job: WebhookJob, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      job.nextAt = undefined;
      void this.attempt(job);
      return;
    }
    job.nextAt = this.options.clock.now() + delayMs;
    // The clock starts the attempt and moves on; `advance()` awaits it with the rest of its batch.
    const id = this.options.clock.schedule(job.nextAt, () => {
      this.timers.delete(job.webhookId);
      return this.attempt(job);
    }, `webhook ${job.type} → ${job.url} (attempt ${job.attempt + 1})`);
    this.timers.set(job.webhookId, id);
  }

  private attempt(job: WebhookJob): Promise<void> {
    if (this.closed) return Promise.resolve();
    const faults = this.options.faults();
    if (faults?.reorder && job.attempt === 0 && !this.releasing) {
      this.held.push(job);
      if (!this.heldTimer) {
        this.heldTimer = setTimeout(() => this.releaseHeld(), faults.reorderWindowMs ?? 1000);
        this.heldTimer.unref();
      }
      return Promise.resolve();
    }
    const run = this.run(job, faults).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return run;
  }

  private releasing = false;

  private releaseHeld(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    const held = this.held.reverse();
    this.held = [];
    this.releasing = true;
    try {
      for (const job of held) void this.attempt(job);
    } finally {
      this.releasing = false;
    }
  }

  private async run(job: WebhookJob, faults: WebhookFault | undefined): Promise<void> {
    const generation = this.generation;
    const current = () => generation === this.generation;
    if (faults?.delayMs) await sleep(faults.delayMs);
    if (!current()) return;
    job.attempt++;
    const dice = this.options.dice();
    if (dice.roll(faults?.dropRate)) {
      this.record(job, { ok: false, dropped: true, requestHeaders: {}, requestedAt: this.options.clock.now() });
      this.finish(job);
      return;
    }
    const copies = dice.roll(faults?.duplicateRate) ? 2 : 1;
    const results = await Promise.all(Array.from({ length: copies }, () => this.post(job)));
    // A reset or close while the request was out: that job no longer exists.
    if (!current()) return;
    for (const [i, r] of results.entries()) this.record(job, r, i === 1);
    const result = results.find((r) => r.ok) ?? results[0]!;
    this.options.onAttempt(job, result);
    if (result.ok || job.attempt >= job.maxAttempts) {
      this.finish(job);
      return;
    }
    this.scheduleAttempt(job, Math.max(1, this.options.retryDelaysMs[job.attempt] ?? 0));
    this.options.onChange();
  }

  private finish(job: WebhookJob): void {
    job.nextAt = undefined;
    this.jobs.delete(job.webhookId);
    this.options.onChange();
  }

  /**
   * One signed POST outside the retry schedule (the confirm process): recorded in the delivery
   * log like any attempt, never retried, never persisted; faults do not apply.
   */
  async deliverOnce(message: { webhookId: string; url: string; type: string; body: string }, timeoutMs: number): Promise<AttemptResult> {
    const job: WebhookJob = { ...message, attempt: 1, maxAttempts: 1 };
    if (this.closed) return { ok: false, error: 'the sandbox is closed', requestHeaders: {}, requestedAt: this.options.clock.now() };
    const run = this.post(job, timeoutMs);
    const tracked = run.then(() => {}).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    const result = await run;
    if (!this.closed) this.record(job, result);
    return result;
  }

  /** Calls `listener` with every webhook enqueued from now on; returns what stops that. */
  onEnqueue(listener: (job: WebhookJob) => void): () => void {
    this.enqueueListeners.add(listener);
    return () => this.enqueueListeners.delete(listener);
  }

  /**
   * The first recorded attempt of each webhook, once made (within `timeoutMs`). A webhook whose
   * first attempt waits on the sandbox clock (a first retry delay above 0) is not waited for.
   */
  async firstAttempts(ids: readonly string[], timeoutMs: number): Promise<SandboxWebhookDelivery[]> {
    const found = new Map<string, SandboxWebhookDelivery>();
    for (const delivery of this.log) if (ids.includes(delivery.webhookId) && !found.has(delivery.webhookId)) found.set(delivery.webhookId, delivery);
    const waiting = () => ids.some((id) => !found.has(id) && this.jobs.get(id)?.nextAt === undefined && this.jobs.has(id));
    if (waiting()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stop();
          clearTimeout(timer);
          resolve();
        };
        const stop = this.onDelivery((delivery) => {
          if (ids.includes(delivery.webhookId) && !found.has(delivery.webhookId)) found.set(delivery.webhookId, delivery);
          if (!waiting()) done();
        });
        const timer = setTimeout(done, timeoutMs);
      });
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Calls `listener` with every delivery attempt as it is recorded; returns what stops that. */
  onDelivery(listener: (delivery: SandboxWebhookDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async post(job: WebhookJob, timeoutMs = this.options.timeoutMs): Promise<AttemptResult> {
    // Receivers check the timestamp against their wall clock, whatever the sandbox clock says.
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const requestHeaders = {
      'content-type': 'application/json',
      'user-agent': 'PortOne-Webhook-Sandbox/1.0',
      'webhook-id': job.webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': signWebhook(this.options.secrets(), job.webhookId, timestamp, job.body),
    };
    const requestedAt = this.options.clock.now();
    const started = performance.now();
    let result: AttemptResult;
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.abort.signal]);
      // PortOne does not follow redirects: a 3xx is a failed attempt, never a second (GET) request.
      const response = await fetch(job.url, { method: 'POST', headers: requestHeaders, body: job.body, signal, redirect: 'manual' });
      const responseBody = (await response.text()).slice(0, 2048);
      result = {
        ok: response.status >= 200 && response.status < 300,
        status: response.status,
        requestHeaders,
        responseHeaders: Object.fromEntries(response.headers),
        responseBody,
        requestedAt,
        respondedAt: this.options.clock.now(),
        elapsedMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const name = (error as Error).name;
      const reason = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
      result = { ok: false, error: reason, requestHeaders, requestedAt };
    }
    return result;
  }

  private record(job: WebhookJob, result: AttemptResult, duplicate = false): void {
    const entry: SandboxWebhookDelivery = {
      webhookId: job.webhookId,
      url: job.url,
      type: job.type,
      body: job.body,
      attempt: job.attempt,
      ok: result.ok,
      at: new Date(result.requestedAt).toISOString(),
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.responseBody !== undefined ? { responseBody: result.responseBody } : {}),
      ...(result.elapsedMs !== undefined ? { durationMs: result.elapsedMs } : {}),
      ...(result.requestHeaders['webhook-timestamp'] ? { timestamp: result.requestHeaders['webhook-timestamp'] } : {}),
      ...(result.dropped ? { dropped: true } : {}),
      ...(duplicate ? { duplicate: true } : {}),
      ...(result.error ? { error: result.error } : {}),
    };
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch (error) {
        this.options.log(`a delivery listener failed: ${(error as Error).stack ?? error}`);
      }
    }
    const outcome = result.dropped ? 'dropped (fault)' : result.status !== undefined ? String(result.status) : result.error;
    this.options.log(`webhook ${job.type} → ${job.url} attempt ${job.attempt}/${job.maxAttempts}${duplicate ? ' (duplicate)' : ''}: ${outcome}`);
  }
}

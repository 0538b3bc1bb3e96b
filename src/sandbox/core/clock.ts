// The sandbox's time. `real` follows the wall clock (plus whatever `advance` added); `manual`
// moves only with `advance`. Timed work (schedules, virtual-account expiry, webhook retries) is
// queued here and started in time order, with the clock set to the task's time. A task that
// returns a promise (a webhook attempt on the network) is not waited for before the next task
// starts: a slow receiver never holds up a schedule or an expiry.
import { usageError } from '../errors.js';
import { MAX_TIME } from '../input.js';

export type Task = () => void | Promise<void>;

/** The clock as `persistPath` keeps it. */
export interface SavedClock {
  /** Sandbox time when saved, ms since the epoch. */
  now: number;
  /** Sandbox time minus wall-clock time when saved (what `advance()` added in `real` mode). */
  offsetMs: number;
}

interface Timer {
  id: number;
  at: number;
  task: Task;
  label: string;
}

export class Clock {
  private readonly mode: 'real' | 'manual';
  private offset = 0;
  private manualNow: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private wake: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(mode: 'real' | 'manual' = 'real', start?: number, private readonly onError: (error: unknown, label: string) => void = () => {}) {
    this.mode = mode;
    this.manualNow = start ?? Date.now();
    if (mode === 'real' && start !== undefined) this.offset = start - Date.now();
  }

  now(): number {
    return this.mode === 'manual' ? this.manualNow : Date.now() + this.offset;
  }

  /** What a restart needs to keep the time: the sandbox time, and how far it runs ahead of the wall clock. */
  snapshot(): SavedClock {
    const now = this.now();
    return { now, offsetMs: now - Date.now() };
  }

  /** Takes the time back up where a snapshot left it: the same time (`manual`), the same lead on the wall clock (`real`). */
  restore(saved: SavedClock): void {
    if (this.mode === 'manual') this.manualNow = saved.now;
    else this.offset = saved.offsetMs;
    this.arm();
  }

  /** Runs `task` once the sandbox time reaches `at`. Returns an id for `cancel`. */
  schedule(at: number, task: Task, label = 'task'): number {
    const timer = { id: this.nextId++, at, task, label };
    const index = this.timers.findIndex((t) => t.at > at);
    if (index === -1) this.timers.push(timer);
    else this.timers.splice(index, 0, timer);
    this.arm();
    return timer.id;
  }

  cancel(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
    this.arm();
  }

  /** Queued tasks, earliest first (for the dashboard). */
  pending(): { at: number; label: string }[] {
    return this.timers.map(({ at, label }) => ({ at, label }));
  }

  /**
   * Moves time forward by `ms`, running every task that falls due on the way. Tasks due together
   * start together; their promises (webhook attempts) are awaited as one batch, then what they
   * scheduled within the window (a retry) runs in the next batch.
   */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw usageError(new RangeError(`advance(ms): expected a non-negative number of ms, got ${ms}`));
    if (this.now() + ms > MAX_TIME) throw usageError(new RangeError(`advance(ms): the sandbox clock ends at ${new Date(MAX_TIME).toISOString()}; ${ms} ms from ${new Date(this.now()).toISOString()} is past it`));
    return this.serialize(async () => {
      const target = Math.min(this.now() + ms, MAX_TIME);
      for (;;) {
        const started = this.runDue(target);
        if (started.length === 0) break;
        await Promise.allSettled(started);
      }
      this.arm();
      this.setNow(Math.max(this.now(), target));
    });
  }

  /** Starts tasks already due (real mode calls this from its timer); does not wait for their promises. */
  runDueNow(): Promise<void> {
    return this.serialize(async () => {
      this.runDue(this.now());
      this.arm();
    });
  }

  clear(): void {
    this.timers = [];
    this.arm();
  }

  close(): void {
    this.closed = true;
    this.timers = [];
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
  }

  private setNow(ms: number): void {
    if (this.mode === 'manual') this.manualNow = ms;
    else this.offset = ms - Date.now();
  }

  /** Starts every task due by `until`, in time order; returns the promises of those that returned one. */
  private runDue(until: number): Promise<void>[] {
    const started: Promise<void>[] = [];
    for (;;) {
      const first = this.timers[0];
      if (!first || first.at > until || this.closed) break;
      this.timers.shift();
      if (first.at > this.now()) this.setNow(first.at);
      try {
        const result = first.task();
        if (result) started.push(result.catch((error: unknown) => this.onError(error, first.label)));
      } catch (error) {
        this.onError(error, first.label);
      }
    }
    return started;
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => {});
    return run;
  }

  private arm(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
    if (this.mode !== 'real' || this.closed || this.timers.length === 0) return;
    const delay = Math.min(Math.max(0, this.timers[0]!.at - this.now()), 2_147_483_647);
    this.wake = setTimeout(() => void this.runDueNow(), delay);
    this.wake.unref();
  }
}

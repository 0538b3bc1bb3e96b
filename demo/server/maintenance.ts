// The shop's background jobs, which every shop on the kit needs: reconcile() every few minutes
// (webhooks that never came, payments a crash left unrecorded, flagged payments still to refund,
// follow-ups that gave up) and pruneAbandoned() daily (orders no payment window was opened for).
// A run never overlaps the one before; a failing run is logged and the next one still comes; a
// restarted shop runs each job when it would have, counted from its last run (kept in shop.sqlite);
// stop() waits for a run in progress.
import type { CheckoutServer, ReconcileReport } from 'portone-checkout-kit/server';
import type { MaintenanceSettings } from './options.js';
import type { JobRun, ShopDb } from './shop-db.js';

export const JOBS = ['reconcile', 'prune'] as const;
export type JobName = (typeof JOBS)[number];

/** What the admin page shows of a job. */
export interface JobStatus {
  job: JobName;
  /** 0: the job is off. */
  everyMs: number;
  running: boolean;
  /** When the timer will next run it (wall clock, ms). */
  nextAt?: number;
  last?: JobRun;
}

/** What a reconcile run found, as stored and shown: counts, and the orders that need a person. */
export interface ReconcileResult {
  checked: number;
  updated: number;
  notStarted: number;
  refunded: number;
  failed: number;
  /** The first few orders that could not be checked. */
  failedOrders: { paymentId: string; code: string }[];
  /** Flagged payments PortOne would not refund by itself (a deposit needs the shopper's bank account). */
  manualRefunds: { paymentId: string; reason: string }[];
  revived: number;
  eventsRun: number;
}

export interface PruneResult {
  pruned: number;
}

export interface Maintenance {
  /** Runs a job now, or joins the run in progress; its timer then starts over. */
  run(job: JobName): Promise<void>;
  status(): JobStatus[];
  /** Stops the timers and waits for a run in progress. */
  stop(): Promise<void>;
}

export interface MaintenanceDeps {
  kit: Pick<CheckoutServer, 'reconcile' | 'pruneAbandoned'>;
  db: Pick<ShopDb, 'jobStarted' | 'jobFinished' | 'jobRun'>;
  settings: MaintenanceSettings;
  log: (line: string) => void;
  /** Log every run, not only those that found something. */
  verbose?: boolean;
  /** The wall clock the timers follow. */
  now?: () => number;
}

const LISTED = 10;

export function reconcileResult(report: ReconcileReport): ReconcileResult {
  return {
    checked: report.checked,
    updated: report.updated,
    notStarted: report.notStarted,
    refunded: report.refunded,
    failed: report.failed.length,
    failedOrders: report.failed.slice(0, LISTED).map(({ paymentId, code }) => ({ paymentId, code })),
    manualRefunds: report.manualRefunds.slice(0, 100),
    revived: report.revived,
    eventsRun: report.eventsRun,
  };
}

/** `5m`, `1d`, `1500 ms`: an interval as the flags take it. */
export const every = (ms: number): string => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms} ms`);

export function startMaintenance({ kit, db, settings, log, verbose = false, now = Date.now }: MaintenanceDeps): Maintenance {
  /** Flagged payments already reported as needing a hand refund, so each is logged once, not every run. */
  const reported = new Set<string>();

  const work: Record<JobName, () => Promise<ReconcileResult | PruneResult>> = {
    async reconcile() {
      const result = reconcileResult(await kit.reconcile());
      const noteworthy = result.updated + result.refunded + result.failed + result.revived > 0;
      if (noteworthy || verbose) {
        log(
          `[maintenance] reconcile: checked ${result.checked}, updated ${result.updated}, refunded ${result.refunded}, ` +
            `no payment yet ${result.notStarted}, could not check ${result.failed}, follow-ups revived ${result.revived}, events run ${result.eventsRun}`,
        );
      }
      if (result.failed > 0) {
        log(`[maintenance] reconcile could not check ${result.failed} orders (PortOne unreachable?); the next run tries again: ${result.failedOrders.map((o) => `${o.paymentId} ${o.code}`).join(', ')}`);
      }
      for (const { paymentId, reason } of result.manualRefunds) {
        if (reported.has(paymentId)) continue;
        reported.add(paymentId);
        log(`[maintenance] flagged payment ${paymentId} must be refunded by hand (cancel() with the shopper's refund account): ${reason}`);
      }
      return result;
    },
    async prune() {
      const pruned = await kit.pruneAbandoned({ olderThanMs: settings.pruneAfterMs });
      if (pruned > 0 || verbose) log(`[maintenance] pruneAbandoned: ${pruned} abandoned orders idle over ${every(settings.pruneAfterMs)} deleted`);
      return { pruned };
    },
  };

  const intervals: Record<JobName, number> = { reconcile: settings.reconcileEveryMs, prune: settings.pruneEveryMs };
  const timers = new Map<JobName, { timer: ReturnType<typeof setTimeout>; at: number }>();
  const running = new Map<JobName, Promise<void>>();
  let stopped = false;

  const arm = (job: JobName, delay: number) => {
    clearTimeout(timers.get(job)?.timer);
    if (stopped || intervals[job] === 0) return;
    const timer = setTimeout(() => void run(job), delay);
    // The shop's server keeps the process alive; these timers alone must not.
    timer.unref();
    timers.set(job, { timer, at: now() + delay });
  };

  /** One run, which cannot reject: whatever goes wrong (the kit, PortOne, the shop's database) is logged. */
  const once = async (job: JobName): Promise<void> => {
    try {
      db.jobStarted(job, now());
      const result = await work[job]();
      db.jobFinished(job, now(), { result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`[maintenance] ${job} failed: ${message}${intervals[job] ? `; the next run is in ${every(intervals[job])}` : ''}`);
      try {
        db.jobFinished(job, now(), { error: message });
      } catch {
        // The database itself failed (closing, disk full): the line above already says the run failed.
      }
    }
  };

  function run(job: JobName): Promise<void> {
    const current = running.get(job);
    if (current) return current;
    clearTimeout(timers.get(job)?.timer);
    timers.delete(job);
    const started = once(job).finally(() => {
      running.delete(job);
      // The next run is timed from this one's end, so a slow run is never overlapped by the next.
      arm(job, intervals[job]);
    });
    running.set(job, started);
    return started;
  }

  for (const job of JOBS) {
    const everyMs = intervals[job];
    if (everyMs === 0) continue;
    const last = db.jobRun(job);
    const from = last?.finishedAt ?? last?.startedAt;
    // Counted from the last run, even one before a restart; a clock that went back waits a full interval.
    arm(job, from === undefined ? everyMs : Math.min(everyMs, Math.max(0, from + everyMs - now())));
  }

  return {
    run,
    status: () =>
      JOBS.map((job) => {
        const last = db.jobRun(job);
        const next = timers.get(job)?.at;
        return { job, everyMs: intervals[job], running: running.has(job), ...(next !== undefined ? { nextAt: next } : {}), ...(last ? { last } : {}) };
      }),
    async stop() {
      stopped = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
    },
  };
}

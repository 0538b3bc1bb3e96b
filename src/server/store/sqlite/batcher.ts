// The SQLite store's scheduling: better-sqlite3 is synchronous, so every store call is one short
// transaction that never spans an await, queued and run at the next turn of the event loop. Writes
// arriving together commit together (group commit: one transaction, each write in its own savepoint,
// each caller answered with its own result), which under load saves most commits and their WAL
// pages; reads asked for together run back to back, with SQLite's code and pages still warm. Waiting
// for another process's lock is done in short synchronous slices with asynchronous pauses between
// them, so a busy file never stalls the event loop for long.
import type Database from 'better-sqlite3';

export interface Batcher {
  /** Queues a write; `one statement` writes need no savepoint of their own (SQLite undoes a failed statement). */
  grouped<R>(fn: () => R, shape?: 'statements' | 'one statement'): Promise<R>;
  /** Queues a read. */
  read<R>(fn: () => R): Promise<R>;
  /** Refuses new calls, and resolves once every queued one is answered. */
  close(): Promise<void>;
}

export function createBatcher(db: Database.Database, busyTimeoutMs: number): Batcher {
  let closed = false;
  const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt) * (0.5 + Math.random())));

  /** Runs one synchronous read, retrying while another connection holds the lock, up to `busyTimeoutMs` in all. */
  const retried = async <R>(fn: () => R): Promise<R> => {
    const deadline = Date.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        await pause(attempt);
      }
    }
  };

  // Group commit. A write is queued and applied at the next turn of the event loop together with
  // the others queued by then, in one IMMEDIATE transaction; each runs in its own savepoint, so one
  // that throws (a duplicate key) is undone alone — one of a single statement needs none, SQLite
  // undoes a failed statement by itself. Each caller's promise settles after the commit.
  interface QueuedWrite {
    run: () => unknown;
    /** One statement: applied without a savepoint of its own. */
    single: boolean;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  type Applied = { ok: true; value: unknown } | { ok: false; error: unknown };
  let queue: QueuedWrite[] = [];
  /** A flush is due at the next turn of the event loop. */
  let due = false;
  /** The flush under way (it may wait for another connection's lock). */
  let flushing: Promise<void> | undefined;
  const isolated = db.transaction((fn: () => unknown) => fn());
  const commitGroup = db.transaction((batch: QueuedWrite[]): Applied[] =>
    batch.map((w) => {
      try {
        return { ok: true, value: w.single ? w.run() : isolated(w.run) };
      } catch (error) {
        if (isBusy(error)) throw error;
        return { ok: false, error };
      }
    }),
  ).immediate;
  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const deadline = Date.now() + busyTimeoutMs;
      for (let attempt = 0; ; attempt++) {
        try {
          const applied = commitGroup(batch);
          applied.forEach((a, i) => (a.ok ? batch[i]!.resolve(a.value) : batch[i]!.reject(a.error)));
          break;
        } catch (error) {
          // Nothing of the batch was applied: wait for the other connection, or give up on all of it.
          if (isBusy(error) && Date.now() < deadline) {
            await pause(attempt);
            continue;
          }
          for (const w of batch) w.reject(error);
          break;
        }
      }
    }
  };
  /** Starts a flush at the next turn of the event loop, unless one is due or under way (that one takes the queue). */
  const kick = (): void => {
    if (due || flushing) return;
    due = true;
    setImmediate(() => {
      due = false;
      flushing = flush().finally(() => {
        flushing = undefined;
        // Writes queued after the flush's last look at the queue, while it was finishing.
        if (queue.length > 0) kick();
      });
    });
  };
  const grouped = <R>(fn: () => R, shape: 'statements' | 'one statement' = 'statements'): Promise<R> => {
    if (closed) return Promise.reject(new Error('the SQLite store is closed'));
    return new Promise<R>((resolve, reject) => {
      queue.push({ run: fn, single: shape === 'one statement', resolve: resolve as (value: unknown) => void, reject });
      kick();
    });
  };

  // Reads are grouped too: each is queued and run at the next turn of the event loop, back to back
  // with the others queued by then. Run one by one amid request handling, each read finds SQLite's
  // code and pages gone from the CPU caches; run together, all but the first find them warm. A read
  // still sees every write committed before it was asked for (its caller awaited that commit).
  interface QueuedRead {
    run: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  let reads: QueuedRead[] = [];
  const runReads = (): void => {
    const batch = reads;
    reads = [];
    for (const r of batch) {
      try {
        r.resolve(r.run());
      } catch (error) {
        // Another connection's lock (rare for a WAL reader): this one waits for it, the others do not.
        if (isBusy(error)) retried(r.run).then(r.resolve, r.reject);
        else r.reject(error);
      }
    }
  };
  const read = <R>(fn: () => R): Promise<R> => {
    if (closed) return Promise.reject(new Error('the SQLite store is closed'));
    return new Promise<R>((resolve, reject) => {
      if (reads.push({ run: fn, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(runReads);
    });
  };


  return {
    grouped,
    read,
    async close() {
      closed = true;
      // Writes already queued are committed first, reads already queued answered.
      while (due || flushing || queue.length > 0 || reads.length > 0) await (flushing ?? new Promise((resolve) => setImmediate(resolve)));
    },
  };
}

/** Another connection holds the lock (or a checkpoint does): worth waiting for. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

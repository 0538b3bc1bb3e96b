// The outbox runner. State changes write their follow-up work (the shop's hooks, the kit's own
// PortOne calls) as events in the same transaction; this runs them after the commit. Each event is
// claimed by one runner at a time, marked done once, and retried with backoff when it throws or
// does not finish within `hookTimeoutMs` — so one stuck hook never holds up the others.
import { CheckoutError } from './errors.js';
import type { KitContext } from './context.js';
import type { EventType, HookEvent } from './model.js';

/** Runs one event; may return keys of events it enqueued, to run right after it. */
export type EventHandler = (event: HookEvent) => Promise<readonly string[] | void>;

export interface Outbox {
  /** Runs these events now if due (the ones a request just enqueued) and what they enqueue in turn; waits at most `hookWaitMs`. */
  run(keys: readonly string[]): Promise<void>;
  /**
   * Runs every event that is due (retries whose backoff passed, work a crashed runner left) and
   * resolves with how many it started. With `budgetMs` it stops starting new ones after that long
   * and resolves then even if some are still running (they finish, or time out, in the
   * background); a run already in progress is left to itself and this one resolves with 0.
   */
  runDue(options?: { budgetMs?: number }): Promise<number>;
  start(): void;
  stop(): void;
}

/** How long a claimed event is reserved for its runner before another may take it over. */
const LEASE_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/** Follow-up chains (charge → paid → schedule next…) are short; this only stops a runaway. */
const MAX_DEPTH = 8;
/** Due events run this many at a time: a slow hook delays only its own lane. */
const DRAIN_LANES = 4;
/**
 * The shop's hooks, bounded by `hookTimeoutMs`. The kit's own follow-ups need no such bound: each
 * PortOne call they make has its own timeout, and a timeout there is PortOne being unavailable.
 */
const SHOP_HOOKS: ReadonlySet<EventType> = new Set<EventType>(['paid', 'virtual-account-issued', 'failed', 'cancelled', 'billing-key-issued']);

class HookTimeout extends Error {
  override name = 'HookTimeout';
}

/** Rejects with HookTimeout after `ms`; the work itself goes on, its late outcome ignored. */
function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) return work;
  return new Promise<T>((resolve, reject) => {
    // Not unref'd: a script awaiting reconcile() must see the timeout rather than exit early.
    const timer = setTimeout(() => reject(new HookTimeout(`${what} did not finish within ${ms} ms (hookTimeoutMs)`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function createOutbox(ctx: KitContext, handlers: Record<EventType, EventHandler>): Outbox {
  const { store, log, options } = ctx;
  let timer: ReturnType<typeof setInterval> | undefined;
  let draining: Promise<number> | undefined;

  async function execute(event: HookEvent): Promise<readonly string[]> {
    const claim = { id: event.id, claim: event.claim ?? '' };
    try {
      const work = Promise.resolve().then(() => handlers[event.type](event));
      const limit = SHOP_HOOKS.has(event.type) ? options.hookTimeoutMs : 0;
      const followUps = (await bounded(work, limit, `${event.type} event ${event.key}`)) ?? [];
      if (!(await store.finishEvent(claim, { status: 'done', now: options.now() }))) lostClaim(event);
      return followUps;
    } catch (error) {
      const message = ctx.redact(error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).slice(0, 1000);
      // PortOne being down says nothing about the event: it is retried until PortOne is back.
      const transient = error instanceof CheckoutError && error.code === 'PORTONE_UNAVAILABLE';
      const counted = event.attempts - event.transientAttempts;
      if (!transient && counted >= options.hookMaxAttempts) {
        if (!(await store.finishEvent(claim, { status: 'dead', error: message, now: options.now() }))) lostClaim(event);
        else log.error(`gave up on ${event.type} event ${event.key} after ${counted} failed attempts`, { error: message });
      } else {
        const delay = Math.min(MAX_BACKOFF_MS, options.hookBaseDelayMs * 2 ** Math.min(30, event.attempts - 1));
        if (!(await store.finishEvent(claim, { status: 'pending', nextAttemptAt: options.now() + delay, error: message, transient }))) lostClaim(event);
        else log[transient ? 'info' : 'warn'](`${event.type} event ${event.key} failed (attempt ${event.attempts}); retrying in ${delay} ms`, { error: message });
      }
      return [];
    }
  }

  const lostClaim = (event: HookEvent) =>
    log.warn(`${event.type} event ${event.key}: another runner took it over after its lease expired; its outcome is that runner's to record`);

  async function run(keys: readonly string[], depth = 0): Promise<void> {
    if (keys.length === 0 || depth > MAX_DEPTH) return;
    const events = await store.claimEvents({ now: options.now(), leaseMs: LEASE_MS, limit: keys.length, keys });
    const followUps: string[] = [];
    for (const event of events) followUps.push(...(await execute(event)));
    await run(followUps, depth + 1);
  }

  /** A few lanes, each claiming one due event at a time, until none is due or the deadline passed. */
  function drain(deadline: number): { done: Promise<number>; started: () => number } {
    let total = 0;
    const lane = async () => {
      while (performance.now() < deadline) {
        const [event] = await store.claimEvents({ now: options.now(), leaseMs: LEASE_MS, limit: 1 });
        if (!event) return;
        total++;
        await run(await execute(event));
      }
    };
    const done = Promise.all(Array.from({ length: DRAIN_LANES }, lane)).then(() => total);
    return { done, started: () => total };
  }

  function runDue(runOptions: { budgetMs?: number } = {}): Promise<number> {
    const budget = runOptions.budgetMs;
    // One drain at a time per kit; other kit instances coordinate through the store's claims.
    if (draining) return budget === undefined ? draining : Promise.resolve(0);
    const run = drain(budget === undefined ? Infinity : performance.now() + budget);
    draining = run.done.finally(() => {
      draining = undefined;
    });
    if (budget === undefined) return draining;
    // The lanes stop claiming at the deadline; one still inside a slow hook is not waited for.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(run.started()), budget);
    });
    return Promise.race([draining, deadline]).finally(() => clearTimeout(timer));
  }

  /**
   * The request that made a change waits for its events so the shop's state is updated before the
   * shopper sees the answer — but not for ever: past the wait the work goes on in the background.
   */
  function runBounded(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    const work = run(keys).catch((error: unknown) => log.error('running events failed', { error: error instanceof Error ? error : String(error) }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn(`events ${keys.join(', ')} still running after ${options.hookWaitMs} ms; answering without waiting for them`);
        resolve();
      }, options.hookWaitMs);
      (timer as { unref?: () => void }).unref?.();
    });
    return Promise.race([work, waited]).finally(() => clearTimeout(timer));
  }

  return {
    run: runBounded,
    runDue,
    start() {
      if (timer || options.hookPollMs <= 0) return;
      timer = setInterval(() => {
        runDue().catch((error: unknown) => log.error('running due events failed', { error: error instanceof Error ? error : String(error) }));
      }, options.hookPollMs);
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

// The outbox runner. State changes write their follow-up work (the shop's hooks, the kit's own
// PortOne calls) as events in the same transaction; this runs them after the commit. Each event is
// claimed by one runner at a time, marked done once, and retried with backoff when it throws.
import { CheckoutError } from './errors.js';
import type { KitContext } from './context.js';
import type { EventType, HookEvent } from './model.js';

/** Runs one event; may return keys of events it enqueued, to run right after it. */
export type EventHandler = (event: HookEvent) => Promise<readonly string[] | void>;

export interface Outbox {
  /** Runs these events now (the ones a request just enqueued) and what they enqueue in turn; waits at most `hookWaitMs`. */
  run(keys: readonly string[]): Promise<void>;
  /** Runs every event that is due (retries whose backoff passed, work a crashed runner left). */
  runDue(): Promise<number>;
  start(): void;
  stop(): void;
}

/** How long a claimed event is reserved for its runner before another may take it over. */
const LEASE_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/** Follow-up chains (charge → paid → schedule next…) are short; this only stops a runaway. */
const MAX_DEPTH = 8;

export function createOutbox(ctx: KitContext, handlers: Record<EventType, EventHandler>): Outbox {
  const { store, log, options } = ctx;
  let timer: ReturnType<typeof setInterval> | undefined;
  let draining: Promise<number> | undefined;

  async function execute(event: HookEvent): Promise<readonly string[]> {
    try {
      const followUps = (await handlers[event.type](event)) ?? [];
      await store.finishEvent(event.id, { status: 'done', now: options.now() });
      return followUps;
    } catch (error) {
      const message = ctx.redact(error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).slice(0, 1000);
      const transient = error instanceof CheckoutError && error.code === 'PORTONE_UNAVAILABLE';
      if (event.attempts >= options.hookMaxAttempts) {
        await store.finishEvent(event.id, { status: 'dead', error: message, now: options.now() });
        log.error(`gave up on ${event.type} event ${event.key} after ${event.attempts} attempts`, { error: message });
      } else {
        const delay = Math.min(MAX_BACKOFF_MS, options.hookBaseDelayMs * 2 ** (event.attempts - 1));
        await store.finishEvent(event.id, { status: 'pending', nextAttemptAt: options.now() + delay, error: message });
        log[transient ? 'info' : 'warn'](`${event.type} event ${event.key} failed (attempt ${event.attempts}); retrying in ${delay} ms`, { error: message });
      }
      return [];
    }
  }

  async function run(keys: readonly string[], depth = 0): Promise<void> {
    if (keys.length === 0 || depth > MAX_DEPTH) return;
    const events = await store.claimEvents({ now: options.now(), leaseMs: LEASE_MS, limit: keys.length, keys });
    const followUps: string[] = [];
    for (const event of events) followUps.push(...(await execute(event)));
    await run(followUps, depth + 1);
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const events = await store.claimEvents({ now: options.now(), leaseMs: LEASE_MS, limit: 20 });
      if (events.length === 0) return total;
      for (const event of events) await run(await execute(event));
      total += events.length;
    }
  }

  function runDue(): Promise<number> {
    // One drain at a time per kit; other kit instances coordinate through the store's claims.
    draining ??= drain().finally(() => {
      draining = undefined;
    });
    return draining;
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

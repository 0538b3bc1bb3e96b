// The outbox runner. State changes write their follow-up work (the shop's hooks, the kit's own
// PortOne calls) as events in the same transaction; this runs them after the commit. Each event is
// claimed by one runner at a time, marked done once, and retried with backoff when it throws or
// does not finish within `hookTimeoutMs` — so one stuck hook never holds up the others. Claims (of
// events, and of webhook deliveries) last `LEASE_MS` unless renewed: this kit renews its own while it
// works, so only the claims of a kit that died run out and are taken over by another.
import { CheckoutError } from './errors.js';
import type { KitContext } from './context.js';
import type { EventType, HookEvent, Order } from './model.js';
import { watchOrder } from './orders.js';

/**
 * Runs one event; may return keys of events it enqueued, to run right after it. `order`: the event's
 * order as the change that wrote the event left it, when the runner has it (no need to read it again).
 */
export type EventHandler = (event: HookEvent, order?: Order) => Promise<readonly string[] | void>;

export interface Outbox {
  /**
   * Runs these events now (the ones a request just enqueued) and what they enqueue in turn; waits at
   * most `hookWaitMs`. `claimed`: events among them the store wrote already claimed for this caller
   * (`newClaim`); the others are claimed here, if due. `order`: the order as the change that wrote
   * `claimed` left it, handed to their handlers instead of a fresh read. Resolves with whether that
   * order still stands: only the shop's hooks of `claimed` ran, within the wait, enqueuing nothing
   * and changing no order in this process (a hook calling `cancel()` did) — otherwise the caller
   * reads the order again to answer with what the events did.
   */
  run(keys: readonly string[], claimed?: readonly HookEvent[], order?: Order): Promise<boolean>;
  /** A claim token of this kit, and until when it holds: for events written already claimed, for a webhook delivery. */
  newClaim(): { claim: string; leaseMs: number };
  /** How long a claim holds without renewal. */
  readonly leaseMs: number;
  /** Keeps this kit's claims alive while `work` runs (renewed every third of the lease). */
  hold<T>(work: () => Promise<T>): Promise<T>;
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

const MAX_BACKOFF_MS = 60 * 60_000;
/** Follow-up chains (charge → paid → schedule next…) are short; this only stops a runaway. */
const MAX_DEPTH = 8;
/** Due events run this many at a time: a slow hook delays only its own lane. */
const DRAIN_LANES = 4;
/**
 * The shop's hooks, bounded by `hookTimeoutMs`. The kit's own follow-ups need no such bound: each
 * PortOne call they make has its own timeout, and a timeout there is PortOne being unavailable.
 */
const SHOP_HOOKS: ReadonlySet<EventType> = new Set<EventType>(['paid', 'virtual-account-issued', 'failed', 'cancelled', 'billing-key-issued', 'release', 'identity-verified']);

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
  // How long a claim holds without renewal (options.claimLeaseMs): a live kit renews its claims every
  // third of it, so this only bounds how long the work of a kit that died waits to be taken over.
  const LEASE_MS = options.claimLeaseMs;
  let timer: ReturnType<typeof setInterval> | undefined;
  let draining: Promise<number> | undefined;
  /** This kit's part of every claim token it writes: what `renewClaims` renews. (The Web Crypto global: any runtime.) */
  const holder = crypto.randomUUID();
  // The lease is counted from when the claim is written (a sync may take a while before it writes).
  const newClaim = () => ({ claim: `${holder}:${crypto.randomUUID()}`, leaseMs: LEASE_MS });

  // While any work holding claims runs, the claims are renewed; with none, no timer is left behind.
  let holding = 0;
  let renewer: ReturnType<typeof setInterval> | undefined;
  const renew = () =>
    store.renewClaims({ holder, until: options.now() + LEASE_MS }).catch((error: unknown) => log.warn('could not renew claims', { error: error instanceof Error ? error : String(error) }));
  async function hold<T>(work: () => Promise<T>): Promise<T> {
    if (holding++ === 0) {
      renewer = setInterval(renew, LEASE_MS / 3);
      (renewer as { unref?: () => void }).unref?.();
    }
    try {
      return await work();
    } finally {
      if (--holding === 0) clearInterval(renewer);
    }
  }

  async function execute(event: HookEvent, order?: Order): Promise<readonly string[]> {
    const claim = { id: event.id, claim: event.claim ?? '' };
    try {
      const known = order !== undefined && order.paymentId === event.paymentId ? order : undefined;
      const work = Promise.resolve().then(() => handlers[event.type](event, known));
      const limit = SHOP_HOOKS.has(event.type) ? options.hookTimeoutMs : 0;
      const followUps = (await bounded(work, limit, `${event.type} event ${event.key}`)) ?? [];
      if (!(await store.finishEvent(claim, { status: 'done', now: options.now() }))) lostClaim(event);
      return followUps;
    } catch (error) {
      const message = ctx.redact(error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).slice(0, 1000);
      // PortOne being down (or the order too busy to change right now) says nothing about the event:
      // it is retried until that passes, without counting towards giving up.
      const transient = error instanceof CheckoutError && (error.code === 'PORTONE_UNAVAILABLE' || error.code === 'ORDER_BUSY');
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

  /** Runs `keys` (and their follow-ups); resolves with whether only shop hooks of `claimed` ran, enqueuing nothing. */
  async function run(keys: readonly string[], depth = 0, claimed: readonly HookEvent[] = [], until = performance.now() + options.hookWaitMs, order?: Order): Promise<boolean> {
    if (keys.length === 0 || depth > MAX_DEPTH) return true;
    const given = new Set(claimed.map((e) => e.key));
    const rest = keys.filter((key) => !given.has(key));
    const events = [...claimed, ...(rest.length > 0 ? await store.claimEvents({ claim: newClaim().claim, now: options.now(), leaseMs: LEASE_MS, limit: rest.length, keys: rest }) : [])];
    const mine = new Set(events.map((e) => e.key));
    const followUps: string[] = [];
    // Only the claimed events were written by the change that left `order`; one claimed here may be older.
    for (const event of events) followUps.push(...(await execute(event, given.has(event.key) ? order : undefined)));
    const others = keys.filter((key) => !mine.has(key));
    await Promise.all([run(followUps, depth + 1, [], until), othersFinish(others, until)]);
    return rest.length === 0 && others.length === 0 && followUps.length === 0 && events.every((event) => SHOP_HOOKS.has(event.type));
  }

  /**
   * Events another runner is running right now (a webhook that won the race with a complete): the
   * request waits for them as for its own, so its answer shows their outcome, until `until`.
   */
  async function othersFinish(keys: readonly string[], until: number): Promise<void> {
    for (let pause = 2; keys.length > 0 && performance.now() < until; pause = Math.min(50, pause * 2)) {
      const running = await store.listEvents({ keys, statuses: ['running'], limit: keys.length });
      if (running.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** A few lanes, each claiming one due event at a time, until none is due or the deadline passed. */
  function drain(deadline: number): { done: Promise<number>; started: () => number } {
    let total = 0;
    const lane = async () => {
      while (performance.now() < deadline) {
        const [event] = await store.claimEvents({ claim: newClaim().claim, now: options.now(), leaseMs: LEASE_MS, limit: 1 });
        if (!event) return;
        total++;
        // In the background nobody waits for an answer: what other runners hold is theirs.
        await run(await execute(event), 0, [], 0);
      }
    };
    const done = hold(() => Promise.all(Array.from({ length: DRAIN_LANES }, lane))).then(() => total);
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
  async function runBounded(keys: readonly string[], claimed: readonly HookEvent[] = [], order?: Order): Promise<boolean> {
    if (keys.length === 0) return true;
    // A change this process makes to the order while its events run (a hook calling cancel()).
    const watch = order ? watchOrder(ctx, order.paymentId) : undefined;
    const work = hold(() => run(keys, 0, claimed, undefined, order)).catch((error: unknown) => {
      log.error('running events failed', { error: error instanceof Error ? error : String(error) });
      return false;
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        log.warn(`events ${keys.join(', ')} still running after ${options.hookWaitMs} ms; answering without waiting for them`);
        resolve(false);
      }, options.hookWaitMs);
      (timer as { unref?: () => void }).unref?.();
    });
    try {
      return (await Promise.race([work, waited])) && !watch?.changed;
    } finally {
      clearTimeout(timer);
      watch?.stop();
    }
  }

  return {
    run: runBounded,
    newClaim,
    leaseMs: LEASE_MS,
    hold,
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

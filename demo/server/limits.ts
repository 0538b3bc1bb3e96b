// Per-client limits in bounded memory: token buckets (the prepare limit) and a sign-in throttle that
// makes a client wait longer after each failed password (the admin's basic auth). At most `maxKeys`
// clients are remembered, the least recently seen forgotten first, so a flood of new clients costs a
// fixed amount of memory rather than all of it.

export const DEFAULT_MAX_KEYS = 10_000;

/** A Map that keeps the `max` most recently used keys. */
class RecentMap<V> {
  readonly #entries = new Map<string, V>();
  constructor(private readonly max: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Re-inserting moves the key to the end: Map keeps insertion order, so the first key is the stalest.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}

export interface BucketOptions {
  /** Tokens a full bucket holds: what a client may do at once. */
  burst: number;
  /** Tokens added per minute, up to `burst`. */
  perMinute: number;
  maxKeys?: number;
  now?: () => number;
}

/** What `take` answers when the bucket is empty. */
export interface Refusal {
  /** Whole seconds until the next token. */
  retryAfterSeconds: number;
  /** The first refusal since this client last got a token: worth one log line, the rest are not. */
  first: boolean;
}

interface Bucket {
  tokens: number;
  at: number;
  refusing: boolean;
}

/** One token bucket per key. */
export class TokenBuckets {
  readonly #buckets: RecentMap<Bucket>;
  readonly #burst: number;
  readonly #perMs: number;
  readonly #now: () => number;

  constructor({ burst, perMinute, maxKeys = DEFAULT_MAX_KEYS, now = Date.now }: BucketOptions) {
    if (!Number.isSafeInteger(burst) || burst < 1) throw new RangeError(`burst: expected a whole number of at least 1, got ${burst}`);
    if (!Number.isFinite(perMinute) || perMinute <= 0) throw new RangeError(`perMinute: expected a number above 0, got ${perMinute}`);
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys: expected a whole number of at least 1, got ${maxKeys}`);
    this.#buckets = new RecentMap(maxKeys);
    this.#burst = burst;
    this.#perMs = perMinute / 60_000;
    this.#now = now;
  }

  /** Clients remembered now (at most `maxKeys`). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token from `key`'s bucket: undefined when there was one, else when to come back. */
  take(key: string): Refusal | undefined {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now, refusing: false };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    bucket.at = now;
    let refusal: Refusal | undefined;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refusing = false;
    } else {
      refusal = { retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1_000)), first: !bucket.refusing };
      bucket.refusing = true;
    }
    this.#buckets.set(key, bucket);
    return refusal;
  }
}

export interface ThrottleOptions {
  /** Failures a client may make before it has to wait. Default 5. */
  freeFailures?: number;
  /** The first wait, doubled with every further failure. Default 1 s. */
  baseDelayMs?: number;
  /** The longest wait. Default 15 minutes. */
  maxDelayMs?: number;
  /** A client with no failure for this long starts afresh. Default a day. */
  forgetAfterMs?: number;
  maxKeys?: number;
  now?: () => number;
}

interface Failures {
  count: number;
  last: number;
  /** Not to be checked before this time. */
  until: number;
}

/**
 * Failed sign-ins per client: after `freeFailures`, each further failure locks the client out for
 * twice as long as the one before (1 s, 2 s, 4 s … up to 15 minutes). A locked-out client's
 * attempts are not checked at all, so waiting is the only way to try another password; a success
 * clears the client's record.
 */
export class SignInThrottle {
  readonly #clients: RecentMap<Failures>;
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #forget: number;
  readonly #now: () => number;

  constructor({ freeFailures = 5, baseDelayMs = 1_000, maxDelayMs = 15 * 60_000, forgetAfterMs = 24 * 3_600_000, maxKeys = DEFAULT_MAX_KEYS, now = Date.now }: ThrottleOptions = {}) {
    this.#clients = new RecentMap(maxKeys);
    this.#free = freeFailures;
    this.#base = baseDelayMs;
    this.#max = maxDelayMs;
    this.#forget = forgetAfterMs;
    this.#now = now;
  }

  /** Whole seconds `key` must wait before an attempt is checked; undefined: check it now. */
  wait(key: string): number | undefined {
    const record = this.#record(key);
    const left = record ? record.until - this.#now() : 0;
    return left > 0 ? Math.ceil(left / 1_000) : undefined;
  }

  /** Counts a wrong password; answers how long the client must now wait, in whole seconds (0: not yet). */
  failed(key: string): number {
    const now = this.#now();
    const record = this.#record(key) ?? { count: 0, last: now, until: 0 };
    record.count++;
    record.last = now;
    const over = record.count - this.#free;
    const delay = over > 0 ? Math.min(this.#max, this.#base * 2 ** Math.min(over - 1, 40)) : 0;
    record.until = now + delay;
    this.#clients.set(key, record);
    return Math.ceil(delay / 1_000);
  }

  succeeded(key: string): void {
    this.#clients.delete(key);
  }

  #record(key: string): Failures | undefined {
    const record = this.#clients.get(key);
    if (record && this.#now() - record.last > this.#forget && this.#now() >= record.until) {
      this.#clients.delete(key);
      return undefined;
    }
    return record;
  }
}

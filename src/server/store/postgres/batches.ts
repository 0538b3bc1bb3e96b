// Statement sharing for the PostgreSQL store's hot calls (reading an order, an order's transition,
// finishing an event): calls of one kind that arrive while that kind's statement is in flight wait
// for it and then go together, as one statement. Nothing waits on an idle store — a call goes out at
// once — and under load each round trip, parse and commit is shared by many calls, which is where a
// complete's time goes (each statement is a socket write, a server wake-up and, for a write, a commit).
// A batch that fails (a deadlock with another instance, a bad value) is undone as a whole by
// PostgreSQL, and each of its calls is then run on its own, so an error reaches only its caller.

export interface BatchOptions<I> {
  /** Runs one call: used when a call goes alone, and for each call of a batch that failed. */
  one: (item: I) => Promise<unknown>;
  /** Runs several calls as one statement, answering each in order. */
  many: (items: readonly I[]) => Promise<unknown[]>;
  /**
   * What a call touches that no other call of its statement may (an order, an event's key): a call
   * sharing one with a call already in the batch is held for the next, since one statement cannot
   * order the two. Default: any calls can share a statement.
   */
  keys?: (item: I) => readonly string[];
  /** At most this many calls per statement. */
  max: number;
  /** Statements of this kind in flight at once; calls arriving meanwhile queue for the next. */
  inFlight: number;
}

interface Queued<I> {
  item: I;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A function that runs each call, alone when the kind is idle, else in the next shared statement. */
export function batched<I, R>(options: BatchOptions<I>): (item: I) => Promise<R> {
  let queue: Queued<I>[] = [];
  let running = 0;

  const take = (): Queued<I>[] => {
    if (!options.keys) {
      const batch = queue.slice(0, options.max);
      queue = queue.slice(batch.length);
      return batch;
    }
    const batch: Queued<I>[] = [];
    const held: Queued<I>[] = [];
    const taken = new Set<string>();
    for (const call of queue) {
      const keys = batch.length < options.max ? options.keys(call.item) : [];
      if (batch.length >= options.max || keys.some((key) => taken.has(key))) {
        held.push(call);
        continue;
      }
      for (const key of keys) taken.add(key);
      batch.push(call);
    }
    queue = held;
    return batch;
  };

  const settleAlone = async (call: Queued<I>) => {
    try {
      call.resolve(await options.one(call.item));
    } catch (error) {
      call.reject(error);
    }
  };

  const pump = (): void => {
    while (running < options.inFlight && queue.length > 0) {
      const batch = take();
      running++;
      const sent =
        batch.length === 1
          ? settleAlone(batch[0]!)
          : options.many(batch.map((call) => call.item)).then(
              (results) => batch.forEach((call, i) => call.resolve(results[i])),
              // Nothing of the statement happened: each call again, on its own.
              () => Promise.all(batch.map(settleAlone)),
            );
      void sent.finally(() => {
        running--;
        pump();
      });
    }
  };

  return (item: I) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve: resolve as (value: unknown) => void, reject });
      pump();
    });
}

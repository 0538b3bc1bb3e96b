// Statement sharing for the PostgreSQL store's hot calls (reading an order, an order's transition,
// finishing an event). The hot kinds share a lane of statement slots: a call that finds a slot free
// goes out at once, alone; calls arriving while the lane is busy queue by kind, and when a slot frees
// the kind waiting longest sends all its queued calls as one statement. An idle store adds no wait,
// and under load each round trip, parse and commit is shared by many calls — that is where a
// complete's time went (each statement is a socket write, a wake-up of the server and, for a write,
// a commit). A statement that fails (a deadlock with another instance, a bad value) is undone whole
// by PostgreSQL; each of its calls is then run on its own, so an error reaches only its caller.

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
  /** The slots this kind's statements take, shared with the other hot kinds. */
  lane: Lane;
}

/** Slots for statements in flight, shared by several kinds of call. */
export interface Lane {
  readonly slots: number;
  running: number;
  /** Kinds with calls queued, in the order they began to wait; each sends a statement when served. */
  readonly waiting: Set<() => void>;
}

export const createLane = (slots: number): Lane => ({ slots, running: 0, waiting: new Set() });

/** Gives the free slots to the kinds waiting, longest waiting first. */
function serve(lane: Lane): void {
  for (const send of lane.waiting) {
    if (lane.running >= lane.slots) return;
    lane.waiting.delete(send);
    send();
  }
}

interface Queued<I> {
  item: I;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A function that runs each call, alone on an idle lane, else in its kind's next shared statement. */
export function batched<I, R>(options: BatchOptions<I>): (item: I) => Promise<R> {
  const { lane } = options;
  let queue: Queued<I>[] = [];

  /** The next statement's calls: in arrival order, up to `max`, none touching what another does. */
  const take = (): Queued<I>[] => {
    const batch: Queued<I>[] = [];
    const held: Queued<I>[] = [];
    const taken = new Set<string>();
    for (const call of queue) {
      const keys = batch.length < options.max ? (options.keys?.(call.item) ?? []) : [];
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

  const alone = async (call: Queued<I>): Promise<void> => {
    try {
      call.resolve(await options.one(call.item));
    } catch (error) {
      call.reject(error);
    }
  };

  /** Sends one statement with what is queued; the caller has checked a slot is free. */
  const send = (): void => {
    const batch = take();
    if (batch.length === 0) return;
    lane.running++;
    const sent =
      batch.length === 1
        ? alone(batch[0]!)
        : options.many(batch.map((call) => call.item)).then(
            (results) => batch.forEach((call, i) => call.resolve(results[i])),
            // Nothing of the statement happened: each call again, on its own.
            () => Promise.all(batch.map(alone)),
          );
    void sent.finally(() => {
      lane.running--;
      // Calls held back, or queued meanwhile, wait behind the kinds already waiting.
      if (queue.length > 0) lane.waiting.add(send);
      serve(lane);
    });
  };

  return (item: I) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve: resolve as (value: unknown) => void, reject });
      if (lane.running < lane.slots && lane.waiting.size === 0) return send();
      lane.waiting.add(send);
      serve(lane);
    });
}

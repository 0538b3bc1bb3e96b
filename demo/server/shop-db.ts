// The shop's own tables, beside the kit's: sessions and member profiles, what the shop fulfilled
// for each paid order (written by the kit's hooks, so exactly once per order), a log of every hook
// run, when each background job (reconcile, prune) last ran and what it found, the stock of the
// small-batch products with the reservations held against it, and which members verified as adults.
import Database from 'better-sqlite3';
import type { Order } from 'portone-checkout-kit/server';

export interface Profile {
  id: string;
  name: string;
  phone: string;
  email: string;
}

/** What the shop does once an order is paid: ship the goods, or open the class. */
export type FulfilmentStatus = 'TO_SHIP' | 'ACCESS_GRANTED' | 'PARTLY_REFUNDED' | 'REFUNDED';

export interface Fulfilment {
  paymentId: string;
  eventId: string;
  orderId: string;
  kind: string;
  customerId: string | null;
  orderName: string;
  amount: number;
  refundedAmount: number;
  status: FulfilmentStatus;
  lines: { id: string; name: string; quantity: number; amount: number }[];
  subscriptionId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface HookRun {
  eventId: string;
  hook: string;
  paymentId: string | null;
  /** How many times the kit ran this hook for this event (1 unless a run threw and was retried). */
  runs: number;
  firstAt: number;
  lastAt: number;
}

/** One background job's last run (maintenance.ts). */
export interface JobRun {
  job: string;
  startedAt: number;
  /** Absent while it runs, or when the process stopped during it. */
  finishedAt?: number;
  /** What the run found (the kit's report, trimmed), when it finished. */
  result?: unknown;
  /** Why the last finished run failed. */
  error?: string;
}

/** The member every new visitor is signed in as; the checkout form edits it. */
export const DEMO_MEMBER = { name: '김달빛', phone: '010-1234-5678', email: 'dalbit@example.com' } as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  token_sha256 TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS profiles (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS fulfilments (
  payment_id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  customer_id TEXT,
  order_name TEXT NOT NULL,
  amount INTEGER NOT NULL,
  refunded_amount INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  lines TEXT NOT NULL,
  subscription_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fulfilments_customer ON fulfilments (customer_id);
CREATE TABLE IF NOT EXISTS job_runs (
  job TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  result TEXT,
  error TEXT
);
CREATE TABLE IF NOT EXISTS stock (
  product_id TEXT PRIMARY KEY,
  available INTEGER NOT NULL CHECK (available >= 0),
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reservations (
  reservation_id TEXT PRIMARY KEY,
  lines TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  released_at INTEGER
);
CREATE TABLE IF NOT EXISTS member_langs (
  member_id TEXT PRIMARY KEY,
  lang TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Members a 본인인증 showed to be adults: the fact and the verification's id, nothing about the person.
CREATE TABLE IF NOT EXISTS verified_adults (
  member_id TEXT PRIMARY KEY,
  identity_verification_id TEXT NOT NULL,
  verified_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS hook_runs (
  event_id TEXT PRIMARY KEY,
  hook TEXT NOT NULL,
  payment_id TEXT,
  runs INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL
);
`;

interface FulfilmentRow {
  payment_id: string;
  event_id: string;
  order_id: string;
  kind: string;
  customer_id: string | null;
  order_name: string;
  amount: number;
  refunded_amount: number;
  status: FulfilmentStatus;
  lines: string;
  subscription_id: string | null;
  created_at: number;
  updated_at: number;
}

const fulfilmentOf = (row: FulfilmentRow): Fulfilment => ({
  paymentId: row.payment_id,
  eventId: row.event_id,
  orderId: row.order_id,
  kind: row.kind,
  customerId: row.customer_id,
  orderName: row.order_name,
  amount: row.amount,
  refundedAmount: row.refunded_amount,
  status: row.status,
  lines: JSON.parse(row.lines) as Fulfilment['lines'],
  subscriptionId: row.subscription_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A line held from stock: a product and how many. */
export interface StockLine {
  id: string;
  quantity: number;
}

/** What `reserveStock` did: held (now or already), or nothing because a product had too few left. */
export type StockHold = { held: true } | { held: false; productId: string; available: number };

/** Thrown inside the stock transaction to roll it back. */
class SoldOut extends Error {
  constructor(
    readonly productId: string,
    readonly available: number,
  ) {
    super(`${productId}: ${available} left`);
  }
}

export type ShopDb = ReturnType<typeof openShopDb>;

export function openShopDb(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const statements = {
    startSession: db.prepare('INSERT INTO sessions (token_sha256, member_id, created_at) VALUES (?, ?, ?)'),
    sessionMember: db.prepare<[string], { member_id: string }>('SELECT member_id FROM sessions WHERE token_sha256 = ?'),
    profile: db.prepare<[string], { id: string; name: string; phone: string; email: string }>('SELECT id, name, phone, email FROM profiles WHERE id = ?'),
    saveProfile: db.prepare(
      `INSERT INTO profiles (id, name, phone, email, updated_at) VALUES (@id, @name, @phone, @email, @now)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email, updated_at = excluded.updated_at`,
    ),
    fulfil: db.prepare(
      `INSERT INTO fulfilments (payment_id, event_id, order_id, kind, customer_id, order_name, amount, status, lines, subscription_id, created_at, updated_at)
       VALUES (@paymentId, @eventId, @orderId, @kind, @customerId, @orderName, @amount, @status, @lines, @subscriptionId, @now, @now)
       ON CONFLICT (payment_id) DO NOTHING`,
    ),
    refund: db.prepare(
      `UPDATE fulfilments SET refunded_amount = MAX(refunded_amount, @refunded),
         status = CASE WHEN MAX(refunded_amount, @refunded) >= amount THEN 'REFUNDED' ELSE 'PARTLY_REFUNDED' END,
         updated_at = @now
       WHERE payment_id = @paymentId`,
    ),
    fulfilment: db.prepare<[string], FulfilmentRow>('SELECT * FROM fulfilments WHERE payment_id = ?'),
    fulfilments: db.prepare<[number], FulfilmentRow>('SELECT * FROM fulfilments ORDER BY created_at DESC LIMIT ?'),
    hookRun: db.prepare(
      `INSERT INTO hook_runs (event_id, hook, payment_id, runs, first_at, last_at) VALUES (@eventId, @hook, @paymentId, 1, @now, @now)
       ON CONFLICT (event_id) DO UPDATE SET runs = runs + 1, last_at = excluded.last_at`,
    ),
    hookRuns: db.prepare<[number], { event_id: string; hook: string; payment_id: string | null; runs: number; first_at: number; last_at: number }>(
      'SELECT * FROM hook_runs ORDER BY last_at DESC LIMIT ?',
    ),
    // A run that starts keeps the previous run's result until it has its own.
    jobStarted: db.prepare(
      `INSERT INTO job_runs (job, started_at) VALUES (@job, @at)
       ON CONFLICT (job) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL`,
    ),
    jobFinished: db.prepare('UPDATE job_runs SET finished_at = @at, result = @result, error = @error WHERE job = @job'),
    jobRun: db.prepare<[string], { job: string; started_at: number; finished_at: number | null; result: string | null; error: string | null }>('SELECT * FROM job_runs WHERE job = ?'),
    seedStock: db.prepare('INSERT INTO stock (product_id, available, updated_at) VALUES (?, ?, ?) ON CONFLICT (product_id) DO NOTHING'),
    stock: db.prepare<[], { product_id: string; available: number }>('SELECT product_id, available FROM stock'),
    setStock: db.prepare('UPDATE stock SET available = @available, updated_at = @now WHERE product_id = @productId'),
    // Never below zero: the guard is in the statement, so a hold is all or nothing.
    takeStock: db.prepare('UPDATE stock SET available = available - @quantity, updated_at = @now WHERE product_id = @id AND available >= @quantity'),
    giveStock: db.prepare('UPDATE stock SET available = available + @quantity, updated_at = @now WHERE product_id = @id'),
    available: db.prepare<[string], { available: number }>('SELECT available FROM stock WHERE product_id = ?'),
    reservation: db.prepare<[string], { lines: string; released_at: number | null }>('SELECT lines, released_at FROM reservations WHERE reservation_id = ?'),
    hold: db.prepare(
      `INSERT INTO reservations (reservation_id, lines, created_at) VALUES (@reservationId, @lines, @now)
       ON CONFLICT (reservation_id) DO UPDATE SET lines = excluded.lines, released_at = NULL`,
    ),
    unhold: db.prepare('UPDATE reservations SET released_at = @now WHERE reservation_id = @reservationId AND released_at IS NULL'),
    setMemberLang: db.prepare(
      `INSERT INTO member_langs (member_id, lang, updated_at) VALUES (@memberId, @lang, @now)
       ON CONFLICT (member_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at`,
    ),
    memberLang: db.prepare<[string], { lang: string }>('SELECT lang FROM member_langs WHERE member_id = ?'),
    recordAdult: db.prepare(
      `INSERT INTO verified_adults (member_id, identity_verification_id, verified_at) VALUES (@memberId, @identityVerificationId, @verifiedAt)
       ON CONFLICT (member_id) DO NOTHING`,
    ),
    isAdult: db.prepare<[string], { member_id: string }>('SELECT member_id FROM verified_adults WHERE member_id = ?'),
  };

  /**
   * Takes `lines` from stock for one reservation, all or nothing, in one transaction (IMMEDIATE: the
   * write lock first, so two processes on this file cannot both read the last one as free). The
   * same reservation again holds nothing more; one released before is held afresh.
   */
  const reserveStock = db
    .transaction((reservationId: string, lines: readonly StockLine[]): StockHold => {
      const now = Date.now();
      const existing = statements.reservation.get(reservationId);
      if (existing && existing.released_at === null) return { held: true };
      for (const line of lines) {
        if (statements.takeStock.run({ id: line.id, quantity: line.quantity, now }).changes !== 1) {
          // Undo the lines taken so far: the transaction rolls back on the throw.
          throw new SoldOut(line.id, statements.available.get(line.id)?.available ?? 0);
        }
      }
      statements.hold.run({ reservationId, lines: JSON.stringify(lines), now });
      return { held: true };
    })
    .immediate;

  /** Gives a reservation's stock back once; an id never held (or already released) gives nothing. */
  const releaseStock = db
    .transaction((reservationId: string): boolean => {
      const now = Date.now();
      const existing = statements.reservation.get(reservationId);
      if (!existing || existing.released_at !== null) return false;
      for (const line of JSON.parse(existing.lines) as StockLine[]) statements.giveStock.run({ id: line.id, quantity: line.quantity, now });
      statements.unhold.run({ reservationId, now });
      return true;
    })
    .immediate;

  return {
    /** Records a session by its token's hash (see members.ts); the token itself is never stored. */
    startSession(tokenSha256: string, memberId: string): void {
      statements.startSession.run(tokenSha256, memberId, Date.now());
    },
    sessionMember(tokenSha256: string): string | undefined {
      return statements.sessionMember.get(tokenSha256)?.member_id;
    },

    /** The member's details, or the demo member's for a first visit. */
    profile(id: string): Profile {
      return statements.profile.get(id) ?? { id, ...DEMO_MEMBER };
    },
    saveProfile(profile: Profile): void {
      statements.saveProfile.run({ ...profile, now: Date.now() });
    },

    /** Records a paid order as fulfilled; a second call for the same payment changes nothing. Returns whether it was new. */
    fulfil(eventId: string, order: Order, status: FulfilmentStatus): boolean {
      const result = statements.fulfil.run({
        paymentId: order.paymentId,
        eventId,
        orderId: order.orderId,
        kind: order.kind,
        customerId: order.customer?.customerId ?? null,
        orderName: order.orderName,
        amount: order.totalAmount,
        status,
        lines: JSON.stringify(order.lines.map(({ id, name, quantity, amount }) => ({ id, name, quantity, amount }))),
        subscriptionId: order.subscriptionId ?? null,
        now: Date.now(),
      });
      return result.changes === 1;
    },
    /** Refunds only ever grow, so a late or repeated hook never undoes one. */
    recordRefund(paymentId: string, refundedAmount: number): void {
      statements.refund.run({ paymentId, refunded: refundedAmount, now: Date.now() });
    },
    fulfilment(paymentId: string): Fulfilment | undefined {
      const row = statements.fulfilment.get(paymentId);
      return row ? fulfilmentOf(row) : undefined;
    },
    fulfilments(limit = 200): Fulfilment[] {
      return statements.fulfilments.all(limit).map(fulfilmentOf);
    },

    recordHookRun(eventId: string, hook: string, paymentId: string | undefined): void {
      statements.hookRun.run({ eventId, hook, paymentId: paymentId ?? null, now: Date.now() });
    },
    hookRuns(limit = 200): HookRun[] {
      return statements.hookRuns.all(limit).map((row) => ({
        eventId: row.event_id,
        hook: row.hook,
        paymentId: row.payment_id,
        runs: row.runs,
        firstAt: row.first_at,
        lastAt: row.last_at,
      }));
    },

    jobStarted(job: string, at: number): void {
      statements.jobStarted.run({ job, at });
    },
    jobFinished(job: string, at: number, outcome: { result: unknown } | { error: string }): void {
      statements.jobFinished.run({ job, at, result: 'result' in outcome ? JSON.stringify(outcome.result) : null, error: 'error' in outcome ? outcome.error : null });
    },
    jobRun(job: string): JobRun | undefined {
      const row = statements.jobRun.get(job);
      if (!row) return undefined;
      return {
        job: row.job,
        startedAt: row.started_at,
        ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
        ...(row.result !== null ? { result: JSON.parse(row.result) as unknown } : {}),
        ...(row.error !== null ? { error: row.error } : {}),
      };
    },

    /** Puts the small-batch products in stock the first time the shop starts (a restart keeps what is left). */
    seedStock(products: readonly { id: string; limitedStock?: number }[]): void {
      for (const product of products) if (product.limitedStock !== undefined) statements.seedStock.run(product.id, product.limitedStock, Date.now());
    },
    /** How many of each small-batch product are left. */
    stock(): Record<string, number> {
      return Object.fromEntries(statements.stock.all().map((row) => [row.product_id, row.available]));
    },
    /** The admin's restock (or correction): how many are left now. Returns whether the product is stocked at all. */
    setStock(productId: string, available: number): boolean {
      return statements.setStock.run({ productId, available, now: Date.now() }).changes === 1;
    },
    reserveStock(reservationId: string, lines: readonly StockLine[]): StockHold {
      try {
        return reserveStock(reservationId, lines);
      } catch (error) {
        if (error instanceof SoldOut) return { held: false, productId: error.productId, available: error.available };
        throw error;
      }
    },
    releaseStock(reservationId: string): boolean {
      return releaseStock(reservationId);
    },

    /** The language a member last checked out in, for words the shop says later without a request (a refused reservation). */
    setMemberLang(memberId: string, lang: string): void {
      statements.setMemberLang.run({ memberId, lang, now: Date.now() });
    },
    memberLang(memberId: string): string | undefined {
      return statements.memberLang.get(memberId)?.lang;
    },

    /** A 본인인증 showed this member to be an adult (the first verification stays on record). */
    recordAdult(memberId: string, identityVerificationId: string, verifiedAt: number): void {
      statements.recordAdult.run({ memberId, identityVerificationId, verifiedAt });
    },
    isAdult(memberId: string): boolean {
      return statements.isAdult.get(memberId) !== undefined;
    },

    close(): void {
      db.close();
    },
  };
}

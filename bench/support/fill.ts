// Fills a store's tables with orders a shop would have accumulated, in bulk SQL straight into the
// kit's tables (not through HTTP): generated inside the database (SQLite: a recursive CTE;
// PostgreSQL: generate_series), a chunk per transaction. The rows are what the kit itself writes
// (bench/support/fill.ts was checked against rows a real prepare and complete left), with ids of the
// kit's shape (prefix, 8 characters of creation time that sort as the time does, 22 random ones), so
// they land in the indexes where the kit's own rows would:
//
// - 90 % PAID, each with its `paid` event done (the payment's snapshot as payload, about 1.9 kB);
// - 6 % PENDING (prepares never paid; most of them checked by reconcile since), no event;
// - 3 % refunded (CANCELLED, with its `paid` and `cancelled` events done);
// - 1 % FAILED, with its `failed` event done;
// - half of them with a customer (the kit-assigned customer id, a name and an e-mail address).
//
// Creation times are spread evenly over the year before `endAt`, oldest first, so a fill is older
// than every order the benchmark then prepares.
import type Database from 'better-sqlite3';
import type pg from 'pg';

const YEAR_MS = 365 * 86_400_000;
const CHUNK = 100_000;

/** A payment as PortOne returns it, as the `paid` event's payload holds it; __PAY__, __ORD__ and __AT__ are replaced per order. */
const PAYMENT_PAYLOAD = JSON.stringify({
  payment: {
    id: '__PAY__',
    transactionId: '01a23523-1284-7ee7-a256-9136a20b198d',
    merchantId: 'merchant-903cd5e6-fde6-4545-9b7e-839d30353ea6',
    storeId: 'store-498685fa-f4a1-42aa-8b3c-e483f605e5e8',
    channel: { type: 'LIVE', id: 'channel-id-e5c83872-e528-42e0-a086-4b00b807bb65', key: 'channel-key-e5c83872-e528-42e0-a086-4b00b807bb65', name: 'KG이니시스 일반결제', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
    version: 'V2',
    requestedAt: '__AT__',
    updatedAt: '__AT__',
    statusChangedAt: '__AT__',
    orderName: '커피 원두 1kg',
    amount: { total: 32000, taxFree: 0, vat: 2909, supply: 29091, discount: 0, paid: 32000, cancelled: 0, cancelledTaxFree: 0 },
    currency: 'KRW',
    customer: { name: '홍길동', email: 'buyer@example.com', phoneNumber: '010-1234-5678' },
    customData: JSON.stringify({ orderId: '__ORD__' }),
    status: 'PAID',
    method: {
      type: 'PaymentMethodCard',
      card: { publisher: 'BC카드', issuer: 'BC카드', brand: 'LOCAL', type: 'CREDIT', ownerType: 'PERSONAL', bin: '910020', name: 'BC카드', number: '910020******1234' },
      approvalNumber: '37903653',
      installment: { month: 0, isInterestFree: false },
      pointUsed: false,
    },
    paidAt: '__AT__',
    pgTxId: 'StdpayCARDINIpayTest20261202140340172433',
    pgResponse: JSON.stringify({ resultCode: '0000', resultMsg: '정상처리되었습니다.', tid: 'StdpayCARDINIpayTest20261202140340172433' }),
    receiptUrl: 'https://iniweb.inicis.com/receipt/__PAY__',
    disputes: [],
  },
});
const CANCELLATION_PAYLOAD = JSON.stringify({
  cancellation: { status: 'SUCCEEDED', id: 'cancel-__PAY__', pgCancellationId: 'StdpayCARDINIpayTest20261202140340172433', totalAmount: 32000, taxFreeAmount: 0, vatAmount: 2909, reason: '고객 요청', cancelledAt: '__AT__', requestedAt: '__AT__' },
});
const FAILURE_PAYLOAD = JSON.stringify({ payment: { id: '__PAY__', status: 'FAILED', failure: { reason: '카드 한도 초과', pgCode: 'V013', pgMessage: '한도초과' }, failedAt: '__AT__' } });
const LINES = JSON.stringify([{ id: 'beans', name: '커피 원두 1kg', quantity: 1, unitAmount: 32000, amount: 32000 }]);

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** SQL for ids.ts's 8-character creation time of `t` (ms): base 62, most significant first. */
const time8 = (t: string, cast: (e: string) => string = (e) => e) =>
  Array.from({ length: 8 }, (_, k) => `substr('${DIGITS}', ${cast(`(${t} / ${62 ** (7 - k)}) % 62`)} + 1, 1)`).join(' || ');

/** Which kind of order row `i` is, from `i % 100`. */
const STATUS = (c: string) => `CASE WHEN ${c} < 90 THEN 'PAID' WHEN ${c} < 96 THEN 'PENDING' WHEN ${c} < 99 THEN 'CANCELLED' ELSE 'FAILED' END`;

export interface FillReport {
  orders: number;
  events: number;
  ms: number;
}

/** Rows `from`…`from + count - 1` of a fill whose rows span the year before `endAt` (`total` rows in all). */
interface Range {
  from: number;
  count: number;
  total: number;
  endAt: number;
}

const chunks = (range: Range) => {
  const out: { from: number; to: number }[] = [];
  for (let from = range.from; from < range.from + range.count; from += CHUNK) out.push({ from, to: Math.min(range.from + range.count, from + CHUNK) - 1 });
  return out;
};
/** Creation time of row i: evenly over the year before endAt. */
const timing = (range: Range) => ({ start: range.endAt - YEAR_MS, step: Math.max(1, Math.floor(YEAR_MS / range.total)) });

/** Fills a SQLite store's file (the kit's migrations applied already) through a connection of its own. */
export function fillSqlite(db: Database.Database, range: Range, progress?: (done: number) => void): FillReport {
  const started = performance.now();
  const { start, step } = timing(range);
  const t = `(${start} + i * ${step})`;
  const rand = `lower(hex(randomblob(11)))`;
  // Materialized, so each row's random customer id is drawn once (SQLite would otherwise draw it anew
  // for each place the outer query names it).
  const insertOrders = db.prepare(`
    WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < CAST(? AS INTEGER)),
    r AS MATERIALIZED (
      SELECT i, ${t} AS t, ${time8(t)} AS t8, ${STATUS('i % 100')} AS status,
        CASE WHEN i % 2 = 0 THEN 'cus_' || ${time8(t)} || ${rand} END AS customer_id
      FROM n)
    INSERT INTO orders (payment_id, order_id, kind, status, order_name, total_amount, currency, lines, customer, customer_id, customer_assigned,
      pay_method, cancelled_amount, paid_at, failure, created_at, updated_at, revision, checked_at)
    SELECT 'pay_' || t8 || ${rand}, 'ord_' || t8 || ${rand}, 'payment', status, '커피 원두 1kg', 32000, 'KRW', ?,
      CASE WHEN customer_id IS NULL THEN NULL ELSE json_object('customerId', customer_id, 'fullName', '김하나', 'email', 'shopper' || i || '@example.com') END,
      customer_id, CASE WHEN customer_id IS NULL THEN NULL ELSE 1 END,
      CASE WHEN status = 'PENDING' THEN NULL ELSE 'CARD' END,
      CASE WHEN status = 'CANCELLED' THEN 32000 ELSE 0 END,
      CASE WHEN status IN ('PAID', 'CANCELLED') THEN strftime('%Y-%m-%dT%H:%M:%fZ', (t + 60000) / 1000.0, 'unixepoch') END,
      CASE WHEN status = 'FAILED' THEN json_object('reason', '카드 한도 초과', 'pgCode', 'V013') END,
      t, CASE status WHEN 'PENDING' THEN t WHEN 'CANCELLED' THEN t + 86400000 ELSE t + 60000 END,
      CASE status WHEN 'PENDING' THEN 0 WHEN 'CANCELLED' THEN 2 ELSE 1 END,
      CASE WHEN status = 'PENDING' AND i % 10 <> 0 THEN t + 700000 END
    FROM r ORDER BY t`);
  const event = (type: string, key: string, statuses: string, at: string) =>
    db.prepare(`
      INSERT INTO events (key, type, payment_id, payload, status, attempts, transient_attempts, next_attempt_at, created_at, done_at)
      SELECT ${key}, '${type}', payment_id, replace(replace(replace(?, '__PAY__', payment_id), '__ORD__', order_id), '__AT__', coalesce(paid_at, '')),
        'done', 1, 0, ${at}, ${at}, ${at} + 5
      FROM orders WHERE created_at >= ? AND created_at <= ? AND status IN (${statuses}) AND kind = 'payment' ORDER BY created_at`);
  const paid = event('paid', `'paid:' || payment_id`, `'PAID', 'CANCELLED'`, 'created_at + 60000');
  const cancelled = event('cancelled', `'cancelled:' || payment_id || ':cancel-' || payment_id`, `'CANCELLED'`, 'updated_at');
  const failed = event('failed', `'failed:' || payment_id || ':tx-' || payment_id`, `'FAILED'`, 'updated_at');
  let orders = 0;
  let events = 0;
  for (const chunk of chunks(range)) {
    const first = start + chunk.from * step;
    const last = start + chunk.to * step;
    db.transaction(() => {
      orders += insertOrders.run(chunk.from, chunk.to, LINES).changes;
      // The events in the order the kit would have written them: a payment's paid, later its refund.
      events += paid.run(PAYMENT_PAYLOAD, first, last).changes;
      events += cancelled.run(CANCELLATION_PAYLOAD, first, last).changes;
      events += failed.run(FAILURE_PAYLOAD, first, last).changes;
    })();
    progress?.(orders);
  }
  return { orders, events, ms: Math.round(performance.now() - started) };
}

/** Fills a PostgreSQL store's schema (the kit's migrations applied already), a chunk per transaction. */
export async function fillPostgres(client: pg.Client, schema: string, range: Range, progress?: (done: number) => void): Promise<FillReport> {
  const started = performance.now();
  const s = `"${schema}"`;
  const { start, step } = timing(range);
  const t = `(${start}::bigint + i * ${step}::bigint)`;
  const int = (e: string) => `(${e})::int`;
  const rand = `left(translate(encode(decode(md5(random()::text || i::text), 'hex'), 'base64'), '+/', '-_'), 22)`;
  const iso = (e: string) => `to_char(to_timestamp((${e}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const insertOrders = `
    INSERT INTO ${s}.orders (payment_id, order_id, kind, status, order_name, total_amount, currency, lines, customer, customer_id, customer_assigned,
      pay_method, cancelled_amount, paid_at, failure, created_at, updated_at, revision, checked_at)
    SELECT 'pay_' || t8 || ${rand}, 'ord_' || t8 || ${rand}, 'payment', status, '커피 원두 1kg', 32000, 'KRW', $1::jsonb,
      CASE WHEN customer_id IS NULL THEN NULL ELSE jsonb_build_object('customerId', customer_id, 'fullName', '김하나', 'email', 'shopper' || i || '@example.com') END,
      customer_id, CASE WHEN customer_id IS NULL THEN NULL ELSE true END,
      CASE WHEN status = 'PENDING' THEN NULL ELSE 'CARD' END,
      CASE WHEN status = 'CANCELLED' THEN 32000 ELSE 0 END,
      CASE WHEN status IN ('PAID', 'CANCELLED') THEN ${iso('t + 60000')} END,
      CASE WHEN status = 'FAILED' THEN jsonb_build_object('reason', '카드 한도 초과', 'pgCode', 'V013') END,
      t, CASE status WHEN 'PENDING' THEN t WHEN 'CANCELLED' THEN t + 86400000 ELSE t + 60000 END,
      CASE status WHEN 'PENDING' THEN 0 WHEN 'CANCELLED' THEN 2 ELSE 1 END,
      CASE WHEN status = 'PENDING' AND i % 10 <> 0 THEN t + 700000 END
    FROM (
      SELECT i, ${t} AS t, ${time8(t, int)} AS t8, ${STATUS('i % 100')} AS status,
        CASE WHEN i % 2 = 0 THEN 'cus_' || ${time8(t, int)} || ${rand} END AS customer_id
      FROM generate_series($2::bigint, $3::bigint) AS i
    ) r ORDER BY t`;
  const event = (type: string, key: string, statuses: string, at: string) => `
    INSERT INTO ${s}.events (key, type, payment_id, payload, status, attempts, transient_attempts, next_attempt_at, created_at, done_at)
    SELECT ${key}, '${type}', payment_id, replace(replace(replace($1, '__PAY__', payment_id), '__ORD__', order_id), '__AT__', coalesce(paid_at, ''))::jsonb,
      'done', 1, 0, ${at}, ${at}, ${at} + 5
    FROM ${s}.orders WHERE created_at >= $2 AND created_at <= $3 AND status IN (${statuses}) AND kind = 'payment' ORDER BY created_at`;
  const paid = event('paid', `'paid:' || payment_id`, `'PAID', 'CANCELLED'`, 'created_at + 60000');
  const cancelled = event('cancelled', `'cancelled:' || payment_id || ':cancel-' || payment_id`, `'CANCELLED'`, 'updated_at');
  const failed = event('failed', `'failed:' || payment_id || ':tx-' || payment_id`, `'FAILED'`, 'updated_at');
  let orders = 0;
  let events = 0;
  for (const chunk of chunks(range)) {
    const first = start + chunk.from * step;
    const last = start + chunk.to * step;
    await client.query('BEGIN');
    try {
      orders += (await client.query(insertOrders, [LINES, chunk.from, chunk.to])).rowCount ?? 0;
      events += (await client.query(paid, [PAYMENT_PAYLOAD, first, last])).rowCount ?? 0;
      events += (await client.query(cancelled, [CANCELLATION_PAYLOAD, first, last])).rowCount ?? 0;
      events += (await client.query(failed, [FAILURE_PAYLOAD, first, last])).rowCount ?? 0;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    progress?.(orders);
  }
  return { orders, events, ms: Math.round(performance.now() - started) };
}

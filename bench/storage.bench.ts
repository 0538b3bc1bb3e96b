// What abandoned prepares cost the shop's database: a flood of payment and billing-key prepares
// nobody pays for (a bot, or shoppers editing their carts), the bytes they occupy, and what is left
// of them after reconcile() found PortOne knows nothing of them and pruneAbandoned() ran.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSandbox } from '../src/sandbox/index.js';
import { createCheckoutServer, type PricedOrder } from '../src/server/index.js';
import { figure } from './support/load.js';

const PREPARES = 2_000;
const dir = mkdtempSync(join(tmpdir(), 'pck-bench-storage-'));
const database = join(dir, 'checkout.sqlite');
const sandbox = await createSandbox({ clock: 'manual' });
sandbox.setWebhookUrls([]);
const kit = createCheckoutServer({
  portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
  webhookSecret: sandbox.webhookSecret,
  database,
  allowTestChannels: true,
  hookPollMs: 0,
  logger: {},
  now: () => sandbox.now(),
  priceOrder: (): PricedOrder => ({ orderName: '커피 원두 1kg', totalAmount: 32_000, currency: 'KRW', lines: [{ id: 'beans', name: '커피 원두 1kg', quantity: 1, unitAmount: 32_000 }] }),
});
await kit.ready;

/** Bytes in use: the database's pages less its free ones (a deleted row's page is reused, not returned). */
function bytesInUse(): number {
  const db = new Database(database, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  } finally {
    db.close();
  }
}

const post = (path: string, body: unknown) =>
  kit.fetch(new Request(`http://shop.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));

const empty = bytesInUse();
for (let i = 0; i < PREPARES; i += 100) {
  await Promise.all(
    Array.from({ length: 100 }, async (_, j) => {
      const customer = { fullName: '김하나', phoneNumber: '010-1234-5678', email: `shopper${i + j}@example.com` };
      const answers = await Promise.all([post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], customer }), post('/billing-keys/prepare', { customer })]);
      for (const answer of answers) if (answer.status !== 200) throw new Error(`prepare answered ${answer.status}: ${await answer.text()}`);
    }),
  );
}
const flooded = bytesInUse();
// reconcile() asks PortOne about each (nothing there), then a month later pruneAbandoned() runs.
await sandbox.advance(11 * 60_000);
const report = await kit.reconcile({ limit: PREPARES * 2 });
if (report.notStarted !== PREPARES) throw new Error(`reconcile: expected ${PREPARES} orders PortOne knows nothing of, got ${report.notStarted}`);
await sandbox.advance(31 * 86_400_000);
const pruned = await kit.pruneAbandoned({ limit: PREPARES * 2 });
if (pruned !== PREPARES * 2) throw new Error(`pruneAbandoned: expected ${PREPARES * 2} orders and issues, got ${pruned}`);
const after = bytesInUse();
const left = await kit.listOrders({ limit: 10 });

console.log(`${PREPARES} payment prepares and ${PREPARES} billing-key prepares, abandoned; then reconcile() and pruneAbandoned()`);
figure('abandoned-prepare-bytes', Math.round((flooded - empty) / (PREPARES * 2)));
figure('abandoned-prepare-bytes-after-prune', Math.max(0, Math.round((after - empty) / (PREPARES * 2))));
console.log(`orders left: ${left.length}; database in use: ${empty} B empty, ${flooded} B flooded, ${after} B after the prune`);

await kit.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });

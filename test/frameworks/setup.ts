// Before the framework pages run: the package built (the apps use it through a file: link, as its
// dist/ and types/), each app installed from its own lockfile when node_modules is missing (kept out
// of the root install), and built against a sandbox port chosen for this run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { APPS, ROOT } from './apps.js';

function run(label: string, command: string, args: string[], cwd: string, env: Record<string, string> = {}): void {
  const started = Date.now();
  // No PortOne settings reach a build (`next build` must need none), whatever this shell has.
  const quiet = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(PORTONE|CHECKOUT)_/.test(name)));
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...quiet, ...env } });
  if (result.status !== 0) throw new Error(`frameworks setup: ${label} failed (exit ${result.status})`);
  console.log(`frameworks setup: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export default async function setup(): Promise<void> {
  const port = await freePort();
  process.env.PCK_FW_SANDBOX_PORT = String(port);
  const sdkUrl = `http://127.0.0.1:${port}/v2/browser-sdk.js`;
  // The apps need the package's JavaScript and declarations (dist/), not the single-file bundle.
  run('tsc -p tsconfig.build.json (the package)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], ROOT);
  for (const app of Object.values(APPS)) {
    if (!existsSync(`${app.dir}/node_modules`)) run(`${app.name}: npm ci`, 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], app.dir);
    for (const step of app.build(sdkUrl)) run(`${app.name}: ${step.args[0]}`, step.command, step.args, app.dir, step.env);
  }
}

// Builds what the shop serves before any test runs: the one-script-tag bundle and the pages,
// exactly as `npm start` does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default function globalSetup(): void {
  for (const args of [['scripts/run.mjs', 'bundle'], ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']]) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`e2e setup: \`node ${args.join(' ')}\` failed (exit ${result.status})`);
  }
}

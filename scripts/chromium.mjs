// Finds the Chromium the tests drive (CHROME_PATH, then Debian's, then Playwright's own) and,
// when there is none, installs Debian's package if this process may; Playwright cannot download here.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** Flags every launch uses: headless, no sandbox (root), and no background traffic to Google. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function playwrightOwnChromium() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium executable to use, or undefined when the machine has none. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to "${fromEnv}", but no file exists there`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return playwrightOwnChromium();
}

/** Returns a Chromium path, installing Debian's `chromium` first when running as root with apt-get. */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      'No Chromium found: install it (Debian: `sudo apt-get install -y chromium`) or set CHROME_PATH to a Chromium executable.',
    );
    process.exit(1);
  }
  console.log('No Chromium found; installing Debian\'s chromium with apt-get (about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // fonts-nanum: Korean glyphs, so the end-to-end screenshots show text rather than boxes.
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium', 'fonts-nanum']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}); install chromium by hand or set CHROME_PATH.`);
      process.exit(1);
    }
  }
  const installed = findChromium();
  if (!installed) {
    console.error('apt-get installed chromium but /usr/bin/chromium is missing; set CHROME_PATH.');
    process.exit(1);
  }
  return installed;
}

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

const canApt = () =>
  typeof process.getuid === 'function' && process.getuid() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) return `apt-get ${args.join(' ')} failed (exit ${result.status})`;
  }
  return undefined;
}

/** Korean glyphs for readable end-to-end screenshots; true when fontconfig knows a Korean font. */
const hasKoreanFont = () => {
  const result = spawnSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' });
  return result.status !== 0 || result.stdout.trim().length > 0; // no fc-list: nothing to check
};

/** Returns a Chromium path, installing Debian's `chromium` first when running as root with apt-get. */
export function ensureChromium() {
  let found;
  try {
    found = findChromium();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  if (found) {
    // Not needed to pass, only to make screenshots legible: best effort, never fatal.
    if (!hasKoreanFont() && canApt()) {
      console.log('No Korean font found; installing Debian\'s fonts-nanum for legible screenshots…');
      const failure = aptInstall(['fonts-nanum']);
      if (failure) console.log(`${failure}; screenshots will show boxes for Korean text.`);
    }
    return found;
  }
  if (!canApt()) {
    console.error(
      'No Chromium found: install it (Debian: `sudo apt-get install -y chromium`) or set CHROME_PATH to a Chromium executable.',
    );
    process.exit(1);
  }
  console.log('No Chromium found; installing Debian\'s chromium with apt-get (about a minute)…');
  // fonts-nanum: Korean glyphs, so the end-to-end screenshots show text rather than boxes.
  const failure = aptInstall(['chromium', 'fonts-nanum']);
  if (failure) {
    console.error(`${failure}; install chromium by hand or set CHROME_PATH.`);
    process.exit(1);
  }
  const installed = findChromium();
  if (!installed) {
    console.error('apt-get installed chromium but /usr/bin/chromium is missing; set CHROME_PATH.');
    process.exit(1);
  }
  return installed;
}

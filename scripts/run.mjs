// One entry point for the project's tasks, so `npm test`, `npm start`, `npm run bench` … work the
// same on a fresh machine and in CI. Usage: node scripts/run.mjs <task>
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
/** Node flags that run the TypeScript sources directly (package self-imports resolve to src/). */
const tsNode = ['--conditions=source', '--import', 'tsx'];
export const BUNDLE_BUDGET_GZIP_BYTES = 16_384;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options, env: { ...process.env, ...options.env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && !name.startsWith('.')) out.push(...walk(path, keep));
    } else if (keep(path)) out.push(relative(root, path));
  }
  return out;
}

const summaryFile = () => join(mkdtempSync(join(tmpdir(), 'pck-')), 'summary.txt');
/** Counts of every runner's summary line in this process, for `npm test`'s total. */
const totals = { passed: 0, failed: 0 };
const printSummary = (file, fallback) => {
  const line = existsSync(file) ? readFileSync(file, 'utf8').trim() : fallback;
  console.log(line);
  const counts = /(\d+) passed, (\d+) failed/.exec(line);
  if (counts) {
    totals.passed += Number(counts[1]);
    totals.failed += Number(counts[2]);
  }
  return line;
};

/** Runs a long-lived child (the shop) asynchronously, forwarding SIGINT/SIGTERM so it never outlives us. */
function serve(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1))));
}

const tasks = {
  typecheck() {
    const status = run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
    console.log(status === 0 ? 'typecheck: passed' : 'typecheck: failed');
    return status;
  },

  node() {
    const files = walk(join(root, 'test'), (p) => p.endsWith('.test.ts') && !p.endsWith('.browser.test.ts') && !p.includes('/e2e/'));
    if (files.length === 0) {
      console.log('node: 0 passed, 0 failed');
      return 0;
    }
    const out = summaryFile();
    const status = run(process.execPath, [
      ...tsNode,
      '--test',
      '--test-concurrency=4',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./test/support/node-summary-reporter.mjs',
      `--test-reporter-destination=${out}`,
      ...files,
    ]);
    printSummary(out, 'node: 0 passed, 1 failed (the test runner did not finish)');
    return status;
  },

  browser() {
    ensureChromium();
    const out = summaryFile();
    const status = run(bin('web-test-runner'), ['--config', 'test/web-test-runner.config.mjs'], {
      env: { PCK_SUMMARY_FILE: out, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--conditions=source --import tsx'].filter(Boolean).join(' ') },
    });
    printSummary(out, 'browser: 0 passed, 1 failed (the test runner did not finish)');
    return status;
  },

  e2e() {
    const specs = walk(join(root, 'test', 'e2e'), (p) => p.endsWith('.e2e.ts'));
    if (specs.length === 0) {
      console.log('e2e: 0 passed, 0 failed (no end-to-end tests yet)');
      return 0;
    }
    ensureChromium();
    const out = summaryFile();
    const status = run(bin('playwright'), ['test', '-c', 'test/e2e/playwright.config.ts'], { env: { PCK_SUMMARY_FILE: out } });
    printSummary(out, 'e2e: 0 passed, 1 failed (the test runner did not finish)');
    return status;
  },

  frameworks() {
    // Next.js, Vue, Svelte and Angular pages (demo/frameworks), each with its own lockfile, installed
    // when missing and built by the config's global setup; never part of the root install.
    ensureChromium();
    const out = summaryFile();
    const status = run(bin('playwright'), ['test', '-c', 'test/frameworks/playwright.config.ts', ...process.argv.slice(3)], {
      env: { PCK_SUMMARY_FILE: out, PCK_SUMMARY_LABEL: 'frameworks' },
    });
    printSummary(out, 'frameworks: 0 passed, 1 failed (the test runner did not finish)');
    return status;
  },

  test() {
    ensureChromium();
    // The bundle budget is part of the suite, so a change that breaks it cannot land green.
    const results = ['typecheck', 'node', 'browser', 'e2e', 'frameworks', 'size'].map((task) => [task, tasks[task]()]);
    const failed = results.filter(([, status]) => status !== 0).map(([task]) => task);
    console.log(failed.length === 0 ? 'npm test: every step passed' : `npm test: failed in ${failed.join(', ')}`);
    console.log(`total: ${totals.passed} passed, ${totals.failed} failed`);
    return failed.length === 0 ? 0 : 1;
  },

  bundle() {
    return run(bin('vite'), ['build', '--mode', 'bundle', '--logLevel', 'warn']);
  },

  size() {
    const status = tasks.bundle();
    if (status !== 0) return status;
    const file = join(root, 'dist', 'portone-checkout.js');
    const raw = readFileSync(file);
    const gzip = gzipSync(raw, { level: 9 }).length;
    const verdict = gzip <= BUNDLE_BUDGET_GZIP_BYTES ? 'within' : 'OVER';
    console.log(`dist/portone-checkout.js: ${raw.length} bytes, ${gzip} bytes gzip, ${verdict} the ${BUNDLE_BUDGET_GZIP_BYTES}-byte budget`);
    console.log(`figure: bundle-gzip-bytes ${gzip}`);
    return gzip <= BUNDLE_BUDGET_GZIP_BYTES ? 0 : 1;
  },

  docs() {
    const status = run(bin('cem'), ['analyze', '--config', 'scripts/custom-elements-manifest.config.mjs']);
    if (status !== 0) return status;
    return run(process.execPath, ['scripts/element-reference.mjs']);
  },

  build() {
    // From scratch, so files of modules that no longer exist never ship.
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    for (const step of [
      () => run(bin('tsc'), ['-p', 'tsconfig.build.json']),
      () => tasks.bundle(),
      () => run(process.execPath, [...tsNode, 'scripts/build-sandbox-sdk.ts']),
    ]) {
      const status = step();
      if (status !== 0) return status;
    }
    return 0;
  },

  bench() {
    const files = walk(join(root, 'bench'), (p) => p.endsWith('.bench.ts'));
    let worst = 0;
    for (const file of files) {
      console.log(`# ${file}`);
      worst = Math.max(worst, run(process.execPath, [...tsNode, '--expose-gc', file]));
    }
    return worst;
  },

  soak() {
    // The interleaving checker, far longer than npm test runs it; arguments pass through.
    return run(process.execPath, [...tsNode, 'test/money/soak.ts', ...process.argv.slice(3)]);
  },

  start() {
    // The shop serves the one-script-tag bundle (dist/portone-checkout.js) and its built pages.
    for (const step of [() => tasks.bundle(), () => run(bin('vite'), ['build', '--logLevel', 'warn'])]) {
      const status = step();
      if (status !== 0) return status;
    }
    return serve(process.execPath, [...tsNode, 'demo/server/main.ts', ...process.argv.slice(3)]);
  },
};

const task = process.argv[2];
if (!task || !(task in tasks)) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(tasks).join('|')}>; got ${task ? `"${task}"` : 'nothing'}`);
  process.exit(2);
}
process.exitCode = await tasks[task]();

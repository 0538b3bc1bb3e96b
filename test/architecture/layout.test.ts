// The house's layout, held by the suite: no import circles in src/ or demo/, the layers never reached
// across (the browser side never reaches the server or the sandbox, the sandbox stays an independent
// oracle of PortOne, the server has no DOM), the sample shop built from the package's public entry
// points only, and no long source file without the one concern it is allowed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { circles, importGraph } from './imports.js';

const root = join(import.meta.dirname, '..', '..');

test('no import circle in src/ or demo/ (type-only imports count)', () => {
  for (const dir of ['src', 'demo']) {
    const found = circles(importGraph(root, [dir]));
    assert.deepEqual(found.map((circle) => circle.join(' → ')), [], `${dir}/ has import circles`);
  }
});

/** Directories (or files) of src/ and what none of their modules may import (`except` the files named). */
const LAYERS: { from: string; never: string[]; except?: string[]; why: string }[] = [
  { from: 'src/contract.ts', never: ['src/'], why: 'the contract between the elements and the kit depends on nothing' },
  { from: 'src/elements/', never: ['src/server/', 'src/sandbox/'], why: 'the browser side never reaches the server or the sandbox' },
  { from: 'src/client/', never: ['src/server/', 'src/sandbox/', 'src/elements/'], why: 'the client is usable without the elements' },
  { from: 'src/inicis/', never: ['src/server/', 'src/sandbox/', 'src/elements/'], why: 'the KG Inicis rules are pure functions' },
  {
    from: 'src/sandbox/',
    never: ['src/server/', 'src/inicis/', 'src/elements/', 'src/client/'],
    // The SDK's request and result shapes, types only: what the sandbox answers, not browser code
    // (src/client/request.ts, for one, runs the KG Inicis rules the sandbox must not share).
    except: ['src/client/portone-types.ts'],
    why: 'the sandbox is an independent oracle of PortOne: it shares no rules with what it checks',
  },
  { from: 'src/server/', never: ['src/elements/', 'src/client/', 'src/inicis/', 'src/sandbox/'], why: 'the server has no DOM and no browser code' },
];

test('the layers: no module imports what its layer may not reach', () => {
  const graph = importGraph(root, ['src']);
  const crossings: string[] = [];
  for (const [module, targets] of graph) {
    for (const layer of LAYERS) {
      if (!(layer.from.endsWith('/') ? module.startsWith(layer.from) : module === layer.from)) continue;
      for (const target of targets) {
        if (layer.except?.includes(target)) continue;
        if (layer.never.some((forbidden) => target.startsWith(forbidden) && target !== module)) crossings.push(`${module} → ${target} (${layer.why})`);
      }
    }
  }
  assert.deepEqual(crossings, []);
});

/** Bare (package) specifiers a module imports; `runtime`: only those loaded when it runs (not `import type`). */
const packagesOf = (file: string, runtime = false): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/(?:^|[\s;])((?:import|export)\s[^'"`;]*?)from\s*['"]([^'"./][^'"]*)['"]|import\(\s*['"]([^'"./][^'"]*)['"]\s*\)/gm)]
    .filter((m) => !(runtime && m[1] !== undefined && /^(import|export)\s+type\s/.test(m[1])))
    .map((m) => (m[2] ?? m[3])!);

test('the server loads no browser code (types aside), the sandbox no element; the browser side loads no Node built-in', () => {
  const graph = importGraph(root, ['src']);
  const found: string[] = [];
  for (const module of graph.keys()) {
    const packages = packagesOf(module, true);
    if (module.startsWith('src/server/')) {
      for (const name of packages) if (/^(lit|@lit\/|@portone\/browser-sdk)/.test(name)) found.push(`${module} imports ${name}`);
    }
    // The sandbox emulates the browser SDK (its window runtime throws the SDK's own error classes), but renders no element.
    if (module.startsWith('src/sandbox/')) {
      for (const name of packages) if (/^(lit|@lit\/)/.test(name)) found.push(`${module} imports ${name}`);
    }
    if (/^src\/(elements|client|inicis)\//.test(module) || /^src\/(bundle|define|index|react)\.ts$/.test(module)) {
      for (const name of packages) if (name.startsWith('node:')) found.push(`${module} imports ${name}`);
    }
  }
  assert.deepEqual(found, []);
});

test('the sample shop uses the package through its public entry points, never its sources', () => {
  const graph = importGraph(root, ['demo']);
  const found: string[] = [];
  for (const [module, targets] of graph) {
    for (const target of targets) if (target.startsWith('src/')) found.push(`${module} → ${target}`);
    for (const name of packagesOf(module)) {
      if (name.startsWith('portone-checkout-kit') && !/^portone-checkout-kit(\/(server|sandbox|define|react|portone-checkout\.js|server\/(sqlite|postgres)))?$/.test(name)) found.push(`${module} imports ${name}`);
    }
  }
  assert.deepEqual(found, []);
});

/**
 * Source files allowed past ~450 lines, each for the one concern it holds (one dialect's SQL, one
 * rule set…). A file that grows past that without being one concern is split instead.
 */
const LONG_BY_DESIGN: Record<string, string> = {
  'src/sandbox/checkout/rules.ts': 'the sandbox’s own KG Inicis rules for window requests, one per SDK function',
  'src/server/store/sqlite/queries.ts': 'every store port method in SQLite’s SQL',
  'src/server/store/postgres/queries.ts': 'every store port method in PostgreSQL’s SQL',
  'demo/shared/i18n.ts': 'the sample shop’s Korean and English strings',
};

test('no source file over ~450 lines unless it is one concern by design', () => {
  const long: string[] = [];
  for (const dir of ['src', 'demo']) {
    for (const module of importGraph(root, [dir]).keys()) {
      if (module.endsWith('.generated.ts') || module in LONG_BY_DESIGN) continue;
      const lines = readFileSync(join(root, module), 'utf8').split('\n').length;
      if (lines > 450) long.push(`${module}: ${lines} lines`);
    }
  }
  assert.deepEqual(long, []);
});

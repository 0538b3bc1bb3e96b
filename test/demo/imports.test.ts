// The sample shop's modules import each other without a circle (type-only imports count too: a
// circle of types still means two modules that cannot be read, moved or copied one without the other).
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEMO = join(root, 'demo');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'dist' || name === 'node_modules' || name.startsWith('.') ? [] : sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative module a file names in `import … from`, `export … from`, `import '…'` or `import('…')`. */
function importsOf(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gms),
    ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

/** The import graph of the files, edges resolved to files (`./x.js` is `x.ts`). */
function graph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      importsOf(readFileSync(file, 'utf8'))
        .map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'))
        .filter((target) => known.has(target)),
    ]),
  );
}

/** Every import circle, each once, as the list of files round it. */
function circles(edges: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const circle = path.slice(path.indexOf(next));
        // The same circle found from another of its files is one circle.
        const key = [...circle].sort().join('\n');
        if (!found.has(key)) found.set(key, circle);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

test('the import scanner sees every kind of import, and the circle finder finds a circle of types', () => {
  const code = `import type { A } from './a.js';\nimport {\n  b,\n  type C,\n} from '../b.js';\nexport { d } from './d.js';\nimport './side-effect.js';\nconst e = await import('./e.js');\nimport { f } from 'node:fs';`;
  assert.deepEqual(importsOf(code), ['./a.js', '../b.js', './d.js', './side-effect.js', './e.js']);
  const edges = new Map([
    ['app', ['admin', 'pages']],
    ['admin', ['app']],
    ['pages', []],
  ]);
  assert.deepEqual(circles(edges), [['app', 'admin']]);
});

test('demo/ has no import circle', () => {
  const files = sources(DEMO);
  assert.ok(files.length > 20, `expected the demo's sources, found ${files.length} files under ${DEMO}`);
  const found = circles(graph(files)).map((circle) => [...circle, circle[0]!].map((file) => relative(root, file)).join(' → '));
  assert.deepEqual(found, [], `import circles in demo/:\n${found.join('\n')}`);
});

// The sandbox's module layout: no import circle in src/sandbox (type-only imports count too, since
// a circle of types still ties the modules into one), and no file grows past the size where it
// starts holding more than one concern.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'node:test';

const root = fileURLToPath(new URL('../../src/sandbox/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative specifiers of static `import … from`, `export … from` and bare `import '…'` statements. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(?:import|export)\s(?:[^;'"]|'[^']*'(?!;)|"[^"]*"(?!;))*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(statement)) {
    const specifier = match[1] ?? match[2]!;
    if (specifier.startsWith('.')) found.push(specifier);
  }
  return found;
}

function resolveSpecifier(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next spelling
    }
  }
  throw new Error(`${relative(root, from)} imports ${specifier}, which resolves to no file`);
}

/** Circles as `a.ts → b.ts → a.ts`: a depth-first walk reports each one it closes (at least one per tangle). */
export function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string) => {
    const at = onPath.indexOf(node);
    if (at !== -1) {
      found.push([...onPath.slice(at), node]);
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    onPath.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    onPath.pop();
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return found;
}

test('the import graph parser sees type-only, multi-line and re-export imports', () => {
  const text = [
    "import type { A } from './a.js';",
    'import {',
    '  b,',
    "  type C,",
    "} from '../b.js';",
    "export { d } from './d.js';",
    "export type * from './e.js';",
    "import './f.js';",
    "import { readFileSync } from 'node:fs';",
    "const s = 'import x from \"./not-a-statement.js\"';",
  ].join('\n');
  assert.deepEqual(relativeImports(text), ['./a.js', '../b.js', './d.js', './e.js', './f.js']);
});

test('the circle finder reports a circle through several files, and none in a tree', () => {
  assert.deepEqual(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c', 'a']]);
  assert.deepEqual(circles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), []);
});

test('src/sandbox has no import circle (type-only imports included)', () => {
  const graph = new Map<string, string[]>();
  for (const file of sources(root)) {
    graph.set(relative(root, file), relativeImports(readFileSync(file, 'utf8')).map((s) => relative(root, resolveSpecifier(file, s))));
  }
  const found = circles(graph);
  assert.equal(found.length, 0, `import circles in src/sandbox:\n${found.map((c) => `  ${c.join(' → ')}`).join('\n')}`);
});

/**
 * Files allowed past 400 lines, each because it holds one concern that does not split well.
 * A file joins this list only with that sentence.
 */
const LONG_FILES: Record<string, string> = {
  'checkout/rules.ts': "PortOne's and KG Inicis's checks of a browser SDK request, one rule after another",
  'types.ts': "the public contract: createSandbox's options and the Sandbox it returns, documented member by member",
};

test('no sandbox source file passes 400 lines unless it holds one concern (listed with it)', () => {
  const long = sources(root)
    .map((file) => ({ file: relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length }))
    // Generated data (PortOne's request schemas) is one concern however long it is.
    .filter(({ file, lines }) => lines > 400 && !(file in LONG_FILES) && !file.endsWith('.generated.ts'));
  assert.deepEqual(long, [], 'split these by concern, or list them in LONG_FILES with the one concern they hold');
});

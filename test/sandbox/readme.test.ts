// docs/sandbox.md shows readme-example.test.ts verbatim, so the example there runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('docs/sandbox.md shows the sandbox example that readme-example.test.ts runs', () => {
  const doc = readFileSync(new URL('../../docs/sandbox.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8').split('\n').slice(1).join('\n').trim();
  assert.ok(doc.includes('```ts\n' + example + '\n```'), 'docs/sandbox.md must contain test/sandbox/readme-example.test.ts without its first line');
});

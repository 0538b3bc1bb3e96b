// The README's sandbox section shows readme-example.test.ts verbatim, so the example there runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('the README shows the sandbox example that readme-example.test.ts runs', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- section:sandbox -->'), readme.indexOf('<!-- /section:sandbox -->'));
  const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8').split('\n').slice(1).join('\n').trim();
  assert.ok(section.includes('```ts\n' + example + '\n```'), 'README.md (section:sandbox) must contain test/sandbox/readme-example.test.ts without its first line');
});

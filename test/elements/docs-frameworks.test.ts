// docs/elements.md's framework snippets are the demo/frameworks pages, verbatim: the framework tests
// type-check, build and pay through those files, so what the doc shows compiles as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const doc = read('docs/elements.md');
const section = doc.slice(doc.indexOf('## In a framework page'), doc.indexOf('## Server-priced flow'));

for (const [file, fence] of [
  ['demo/frameworks/next/app/checkout/checkout.tsx', 'tsx'],
  ['demo/frameworks/next/app/portone/[...path]/route.ts', 'ts'],
  ['demo/frameworks/vue/vite.config.ts', 'ts'],
  ['demo/frameworks/vue/src/pages/Checkout.vue', 'vue'],
  ['demo/frameworks/svelte/src/Checkout.svelte', 'svelte'],
  ['demo/frameworks/angular/src/app/checkout.ts', 'ts'],
] as const) {
  test(`docs/elements.md shows ${file} as it is tested`, () => {
    assert.ok(section.includes(`\`\`\`${fence}\n${read(file).trimEnd()}\n\`\`\``), `docs/elements.md ("In a framework page") must contain ${file} verbatim`);
  });
}

test('docs/elements.md names the type entries the pages use', () => {
  assert.match(read('demo/frameworks/vue/tsconfig.json'), /"portone-checkout-kit\/vue"/);
  assert.match(read('demo/frameworks/svelte/tsconfig.json'), /"portone-checkout-kit\/svelte"/);
  for (const entry of ['"portone-checkout-kit/vue"', '"portone-checkout-kit/svelte"', 'portone-checkout-kit/react']) assert.ok(section.includes(entry), entry);
});

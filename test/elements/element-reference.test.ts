// docs/elements.md's element reference and custom-elements.json must match the source: regenerate both
// in memory and compare, so the docs cannot drift (fix with `npm run docs`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOC, freshManifest, renderReference, updateReference } from '../../scripts/element-reference.mjs';

const root = new URL('../../', import.meta.url);
const manifest = await freshManifest();

test('custom-elements.json is what the analyzer makes of the source now', () => {
  assert.equal(readFileSync(new URL('custom-elements.json', root), 'utf8'), `${JSON.stringify(manifest, null, 2)}\n`, 'stale: run npm run docs');
});

test('the reference in docs/elements.md is rendered from that manifest', () => {
  const doc = readFileSync(new URL(DOC, root), 'utf8');
  assert.equal(doc, updateReference(doc, renderReference(manifest)), 'stale: run npm run docs');
});

test('the reference covers every element and every kind of API', () => {
  const reference = renderReference(manifest);
  for (const expected of [
    '### `<portone-payment-button>`',
    '### `<portone-billing-key-button>`',
    '### `<portone-billing-key-and-pay-button>`',
    '### `<portone-identity-verification-button>`',
    '| `inicis-fixed-user` | `inicisFixedUser` |',
    '| `inicis` | `Partial<InicisUnifiedIdentityVerificationBypass>` |',
    '| `request` | `Partial<IdentityVerificationRequest>` |',
    '| `portone-identity-verified` | `PortoneIdentityVerifiedEvent` |',
    '| `inicis-skin` | `inicisSkin` |',
    '| `inicis-card-use` | `inicisCardUse` |',
    '| `billing-key-and-pay-method` |',
    '| `store-id` | `storeId` |',
    '| `request` | `Partial<PaymentRequest>` |',
    '| `inicis` | `InicisV2Bypass` |',
    '| `reset()` |',
    '| `portone-virtual-account-issued` | `PortoneVirtualAccountIssuedEvent` |',
    '| `portone-billing-key-issued` | `PortoneBillingKeyIssuedEvent` |',
    '| `portone-request` | `PortoneRequestEvent` |',
    '| `::part(button)` |',
    '| `::part(status)` |',
    '| `--portone-button-background` | `#1a56db` |',
    '| (default) |',
  ]) {
    assert.ok(reference.includes(expected), `missing: ${expected}`);
  }
  // Every element documents every event it can fire (the billing-key and identity buttons pay nothing and need no cart).
  const sections = reference.split('### ').slice(1);
  const eventsOf = (section: string) => [...section.matchAll(/\| `(portone-[a-z-]+)` \| `Portone/g)].map((match) => match[1]).sort();
  assert.deepEqual(sections.map(eventsOf), [
    ['portone-cancel', 'portone-fail', 'portone-incomplete', 'portone-paid', 'portone-ready', 'portone-request'],
    ['portone-billing-key-issued', 'portone-cancel', 'portone-fail', 'portone-ready', 'portone-request'],
    ['portone-cancel', 'portone-fail', 'portone-identity-verified', 'portone-ready', 'portone-request'],
    ['portone-cancel', 'portone-fail', 'portone-incomplete', 'portone-paid', 'portone-ready', 'portone-request', 'portone-virtual-account-issued'],
  ]);
  // Identity verification takes none of the payment windows' attributes.
  const identity = sections.find((section) => section.startsWith('`<portone-identity-verification-button>`'))!;
  for (const attribute of ['currency', 'locale', 'notice-urls', 'offer-period', 'product-type']) assert.ok(!identity.includes(`| \`${attribute}\` |`), attribute);
});

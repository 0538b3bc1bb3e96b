// The adult-only product: shop.sqlite's record of verified adults (shop-db.ts), the shop's prices
// for a cart with it (checkout.ts), and the embedded sandbox on a data directory from before its
// 통합인증 channel existed (sandbox.ts): the channel is added, the old ones kept.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckoutError } from 'portone-checkout-kit/server';
import { createSandbox, type SandboxChannel } from 'portone-checkout-kit/sandbox';
import { priceCart } from '../../demo/server/checkout.js';
import { startSandbox } from '../../demo/server/sandbox.js';
import { openShopDb } from '../../demo/server/shop-db.js';
import { t as text } from '../../demo/shared/i18n.js';

const ADULT_ONLY = 'coffee-liqueur';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dalbit-adult-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CheckoutError);
    return { code: error.code, status: error.status, message: error.message, shopperMessage: error.shopperMessage };
  }
  assert.fail('expected a refusal');
};

test('a verified adult is recorded by member id, once; nobody else is', (t) => {
  const db = openShopDb(join(tempDir(t), 'shop.sqlite'));
  t.after(() => db.close());
  assert.equal(db.isAdult('mem_aaaaaaaaaaaaaaaa'), false);
  db.recordAdult('mem_aaaaaaaaaaaaaaaa', 'idv_1', 1_000);
  db.recordAdult('mem_aaaaaaaaaaaaaaaa', 'idv_2', 2_000);
  assert.equal(db.isAdult('mem_aaaaaaaaaaaaaaaa'), true);
  assert.equal(db.isAdult('mem_bbbbbbbbbbbbbbbb'), false);
});

test('priceCart sells the liqueur to a verified adult only, refuses anyone else in their language, and nobody without an identity channel', () => {
  const cart = { flow: 'payment' as const, items: [{ id: ADULT_ONLY, quantity: 1 }, { id: 'drip-bag-10', quantity: 1 }] };
  assert.equal(priceCart(cart, { adult: true }).totalAmount, 44_000);
  assert.deepEqual(refusal(() => priceCart(cart, { adult: false })), {
    code: 'BAD_CART',
    status: 422,
    message: `items: ${ADULT_ONLY} is sold to verified adults only, and this customer has not verified as one`,
    shopperMessage: text('ko', 'adult.required'),
  });
  assert.equal(refusal(() => priceCart(cart, { adult: false, lang: 'en' })).shopperMessage, text('en', 'adult.required'));
  assert.equal(refusal(() => priceCart(cart, {})).shopperMessage, text('ko', 'limited.unavailable'));
  // Everything else in the shop needs no verification.
  assert.equal(priceCart({ flow: 'payment', items: [{ id: 'drip-bag-10', quantity: 1 }] }, { adult: false }).totalAmount, 15_000);
});

test('a data directory from before the 통합인증 channel: the sandbox gets it (and the manual-approval one), keeping the old channels, once', async (t) => {
  const persistPath = join(tempDir(t), 'sandbox.json');
  // The sandbox's payment channels as they were before it verified identities.
  const payments: SandboxChannel[] = [
    { key: 'channel-key-old-payment', name: 'KG이니시스 일반결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
    { key: 'channel-key-old-billing', name: 'KG이니시스 빌링 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
  ];
  const old = await createSandbox({ persistPath, channels: payments });
  const oldKeys = old.channels.map((channel) => channel.key);
  assert.ok(!old.channels.some((channel) => channel.pgProvider === 'INICIS_UNIFIED'));
  await old.close();

  const upgraded = await startSandbox({ persistPath });
  const identity = upgraded.channels.filter((channel) => channel.pgProvider === 'INICIS_UNIFIED');
  assert.equal(identity.length, 1);
  assert.equal(upgraded.channelKeys.identityVerification, identity[0]!.key);
  assert.equal(upgraded.channels.filter((channel) => channel.manualApproval).length, 1);
  assert.deepEqual(upgraded.channels.slice(0, oldKeys.length).map((channel) => channel.key), oldKeys);
  const keys = upgraded.channels.map((channel) => channel.key);
  await upgraded.close();

  const again = await startSandbox({ persistPath });
  assert.deepEqual(again.channels.map((channel) => channel.key), keys, 'nothing added twice');
  await again.close();
});

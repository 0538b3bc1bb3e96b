// The small batch's stock in shop.sqlite (shop-db.ts) and the shop's prices for it (checkout.ts):
// a hold is all or nothing and idempotent by reservation, a release gives back once and only what
// was held, and a cart the stock cannot cover is refused in the shopper's words before any window.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckoutError } from 'portone-checkout-kit/server';
import { PRODUCTS } from '../../demo/shared/catalog.js';
import { priceCart } from '../../demo/server/checkout.js';
import { openShopDb } from '../../demo/server/shop-db.js';

const LIMITED = 'geisha-small-batch';

function freshDb(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'dalbit-stock-'));
  const db = openShopDb(join(dir, 'shop.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

test('seeded once with the catalog’s count; a restart keeps what is left', (t) => {
  const db = freshDb(t);
  db.seedStock(PRODUCTS);
  assert.deepEqual(db.stock(), { [LIMITED]: 12 });
  db.setStock(LIMITED, 3);
  db.seedStock(PRODUCTS);
  assert.deepEqual(db.stock(), { [LIMITED]: 3 });
});

test('a hold takes the stock once per reservation, all or nothing; a release gives it back once, and nothing for an id never held', (t) => {
  const db = freshDb(t);
  db.seedStock(PRODUCTS);
  db.setStock(LIMITED, 2);
  assert.deepEqual(db.reserveStock('reserve:a', [{ id: LIMITED, quantity: 1 }]), { held: true });
  assert.deepEqual(db.reserveStock('reserve:a', [{ id: LIMITED, quantity: 1 }]), { held: true }, 'the kit asks again after a crash');
  assert.equal(db.stock()[LIMITED], 1);
  assert.deepEqual(db.reserveStock('reserve:b', [{ id: LIMITED, quantity: 2 }]), { held: false, productId: LIMITED, available: 1 });
  assert.equal(db.stock()[LIMITED], 1, 'a refused hold takes nothing');
  assert.equal(db.releaseStock('reserve:b'), false, 'refused: nothing to give back');
  assert.equal(db.stock()[LIMITED], 1);
  assert.equal(db.releaseStock('reserve:a'), true);
  assert.equal(db.releaseStock('reserve:a'), false, 'given back once');
  assert.equal(db.stock()[LIMITED], 2);
  // A reservation released before is held afresh when asked again.
  assert.deepEqual(db.reserveStock('reserve:a', [{ id: LIMITED, quantity: 2 }]), { held: true });
  assert.equal(db.stock()[LIMITED], 0);
});

test('priceCart refuses a small batch the stock cannot cover, or one not on sale, with the shopper’s words (and the developer’s message apart)', () => {
  const cart = (quantity: number) => ({ flow: 'payment' as const, items: [{ id: LIMITED, quantity }] });
  assert.equal(priceCart(cart(2), { stock: { [LIMITED]: 2 } }).totalAmount, 76_000);
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      assert.ok(error instanceof CheckoutError);
      return { code: error.code, status: error.status, message: error.message, shopperMessage: error.shopperMessage };
    }
    assert.fail('expected a refusal');
  };
  assert.deepEqual(refusal(() => priceCart(cart(3), { stock: { [LIMITED]: 2 } })), {
    code: 'BAD_CART',
    status: 422,
    message: `items: ${LIMITED} has 2 left, the cart asks for 3`,
    shopperMessage: '품절되었습니다. 남은 수량보다 많이 담으셨거나 방금 모두 판매되었습니다.',
  });
  assert.equal(refusal(() => priceCart(cart(1), { stock: { [LIMITED]: 0 }, lang: 'en' })).shopperMessage, 'Sold out: your cart holds more than we have left, or the last ones just sold.');
  assert.equal(refusal(() => priceCart(cart(1), {})).shopperMessage, '지금은 판매하지 않는 상품입니다.');
});

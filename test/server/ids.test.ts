// The ids the kit issues (paymentId, orderId, …): unguessable, printable ASCII, and ordered by
// creation time so the store's indexes keyed by them are written near their last writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/server/ids.js';

test('an id is the prefix, 8 characters of creation time and 22 random base64url characters', () => {
  const id = newId('pay', Date.UTC(2026, 10, 22));
  assert.match(id, /^pay_[A-Za-z0-9]{8}[A-Za-z0-9_-]{22}$/);
  assert.equal(id.length, 34);
});

test('ids sort as their creation times do, across digit carries and centuries', () => {
  const times = [0, 1, 61, 62, 63, 3843, 3844, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, Date.UTC(2099, 11, 31), Date.UTC(2999, 0, 1)];
  const ids = times.map((t) => newId('ord', t));
  // Plain string order (SQLite's BINARY collation, JavaScript's default sort) is creation order.
  assert.deepEqual([...ids].sort(), ids);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]!.slice(4, 12) < ids[i]!.slice(4, 12), `${ids[i - 1]} before ${ids[i]}`);
});

test('ids made in the same millisecond share the time and differ in their 128 random bits', () => {
  const now = Date.now();
  const ids = Array.from({ length: 1000 }, () => newId('pay', now));
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(new Set(ids.map((id) => id.slice(0, 12))).size, 1);
});

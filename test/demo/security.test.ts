// The shop's page policy and https detection (demo/server/security.ts), and the admin password's
// minimum length (options.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OptionsError, readOptions } from '../../demo/server/options.js';
import { PORTONE_ORIGINS, RESOURCE_POLICY, isHttps, newNonce, pagePolicy } from '../../demo/server/security.js';

const directives = (policy: string) => new Map(policy.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1)]));

test('on the sandbox a page may load scripts, call and frame the sandbox’s origin and nothing else beyond the shop', () => {
  const policy = directives(pagePolicy('abc', { mode: 'sandbox', origin: 'http://127.0.0.1:4100' }));
  assert.deepEqual(policy.get('script-src'), ["'self'", "'nonce-abc'", 'http://127.0.0.1:4100']);
  assert.deepEqual(policy.get('connect-src'), ["'self'", 'http://127.0.0.1:4100']);
  assert.deepEqual(policy.get('frame-src'), ['http://127.0.0.1:4100']);
  assert.deepEqual(policy.get('form-action'), ["'self'"]);
  assert.deepEqual(policy.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(policy.get('style-src'), ["'self'"]);
  assert.deepEqual(policy.get('object-src'), ["'none'"]);
});

test('on PortOne a page may load PortOne’s SDK and drivers and KG Inicis’s script, and frame and post to their windows; never the sandbox', () => {
  const text = pagePolicy('abc', { mode: 'portone' });
  const policy = directives(text);
  assert.deepEqual(policy.get('script-src'), ["'self'", "'nonce-abc'", ...PORTONE_ORIGINS.script]);
  assert.deepEqual(policy.get('connect-src'), ["'self'", ...PORTONE_ORIGINS.connect]);
  assert.deepEqual(policy.get('frame-src'), [...PORTONE_ORIGINS.frame]);
  assert.deepEqual(policy.get('form-action'), ["'self'", ...PORTONE_ORIGINS.form]);
  for (const origin of Object.values(PORTONE_ORIGINS).flat()) assert.match(origin, /^https:\/\/[a-z.-]+\.(portone\.io|iamport\.co|inicis\.com)$/, 'an exact https origin, no wildcard');
  assert.doesNotMatch(text, /127\.0\.0\.1|unsafe|\*/);
});

test('no policy allows inline code, and every nonce is new', () => {
  for (const policy of [pagePolicy(newNonce(), { mode: 'portone' }), pagePolicy(newNonce(), { mode: 'sandbox', origin: 'http://localhost:1' }), RESOURCE_POLICY]) {
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.match(policy, /frame-ancestors 'none'/);
  }
  const nonces = new Set(Array.from({ length: 100 }, newNonce));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
});

test('https: a request that came over TLS, or X-Forwarded-Proto from a trusted proxy (its own, last entry); never the header alone', () => {
  assert.equal(isHttps('https://shop.example/', null, false), true);
  assert.equal(isHttps('http://127.0.0.1:3000/', 'https', true), true);
  assert.equal(isHttps('http://127.0.0.1:3000/', 'HTTPS', true), true);
  assert.equal(isHttps('http://127.0.0.1:3000/', 'http, https', true), true);
  assert.equal(isHttps('http://127.0.0.1:3000/', 'https, http', true), false, 'the client claimed https; the proxy says http');
  assert.equal(isHttps('http://127.0.0.1:3000/', 'https', false), false, 'without --trust-proxy anyone could send it');
  assert.equal(isHttps('http://127.0.0.1:3000/', undefined, true), false);
});

test('ADMIN_PASSWORD: at least 12 characters (counted as a person types them), said without echoing it; unset, a 16-character one is generated', () => {
  const refuse = (password: string, length: number) =>
    assert.throws(
      () => readOptions([], { ADMIN_PASSWORD: password }),
      (error: unknown) =>
        error instanceof OptionsError &&
        error.message === `ADMIN_PASSWORD: expected at least 12 characters (it guards every refund), got ${length}; leave it unset to have one generated` &&
        !error.message.includes(password),
    );
  refuse('hunter2', 7);
  refuse('a'.repeat(11), 11);
  // Korean counts as it is typed: eleven syllables are eleven characters (33 bytes).
  refuse('가나다라마바사아자차카', 11);
  assert.equal(readOptions([], { ADMIN_PASSWORD: '가나다라마바사아자차카타' }).adminPassword, '가나다라마바사아자차카타');
  assert.equal(readOptions([], { ADMIN_PASSWORD: 'a'.repeat(12) }).adminPasswordGenerated, false);
  const generated = readOptions([], {});
  assert.equal(generated.adminPasswordGenerated, true);
  assert.match(generated.adminPassword, /^[A-Za-z0-9_-]{16}$/);
  assert.notEqual(readOptions([], {}).adminPassword, generated.adminPassword);
});

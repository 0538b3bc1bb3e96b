import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectDevice } from '../../src/client/device.js';

const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

test('client hints decide when they say mobile', () => {
  assert.equal(detectDevice({ userAgent: DESKTOP, userAgentData: { mobile: true } }), 'mobile');
});

test('phones and tablets by user agent, Android tablets included (their hint says not mobile)', () => {
  for (const ua of [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
    'Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15',
    'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
  ]) {
    assert.equal(detectDevice({ userAgent: ua, userAgentData: { mobile: false } }), 'mobile', ua);
  }
});

test('desktops are PC', () => {
  assert.equal(detectDevice({ userAgent: DESKTOP }), 'pc');
  assert.equal(detectDevice({ userAgent: DESKTOP, userAgentData: { mobile: false } }), 'pc');
});

// The SDK loader against a fake document: which scripts it injects, per URL, and what a script that
// never loads does. (The browser tests load real scripts; a hanging CDN cannot be staged there.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

interface FakeScript {
  src: string;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  removed: boolean;
  remove(): void;
}

const injected: FakeScript[] = [];
const fakeDocument = {
  createElement: (): FakeScript => ({
    src: '',
    onload: null,
    onerror: null,
    removed: false,
    remove() {
      this.removed = true;
    },
  }),
  head: { append: (script: FakeScript) => injected.push(script) },
};
Object.assign(globalThis, { window: globalThis, document: fakeDocument });
const portOne = globalThis as { PortOne?: unknown };

const { SdkLoadError, loadSdk, setSdkLoadTimeout } = await import('../../src/client/loader.js');

/** Settles as `promise` does: 'loaded', or the error it rejected with. */
const outcome = (promise: Promise<void>) => promise.then(() => 'loaded' as const, (error: unknown) => error);

describe('loadSdk', () => {
  test('one script per URL: the same URL shares a load, another URL gets its own', async () => {
    const a = loadSdk('https://a.example/sdk.js');
    const again = loadSdk('https://a.example/sdk.js');
    const b = loadSdk('https://b.example/sdk.js');
    assert.equal(again, a);
    assert.deepEqual(injected.map((script) => script.src), ['https://a.example/sdk.js', 'https://b.example/sdk.js']);
    // b's script fails; a's is still loading, and does not fail with it.
    injected[1]!.onerror!();
    const failed = await outcome(b);
    assert.ok(failed instanceof SdkLoadError);
    assert.equal(failed.url, 'https://b.example/sdk.js');
    assert.equal(injected[1]!.removed, true);
    portOne.PortOne = {};
    injected[0]!.onload!();
    assert.equal(await outcome(a), 'loaded');
    assert.equal(await outcome(loadSdk('https://b.example/sdk.js')), 'loaded', 'once loaded, any URL resolves at once');
    assert.equal(injected.length, 2);
    delete portOne.PortOne;
  });

  test('a script that never loads fails after the timeout, is dropped, and a retry injects it again', async () => {
    setSdkLoadTimeout(20);
    const hanging = loadSdk('https://slow.example/sdk.js');
    const script = injected.at(-1)!;
    const failed = await outcome(hanging);
    assert.ok(failed instanceof SdkLoadError);
    assert.equal(failed.url, 'https://slow.example/sdk.js');
    assert.equal(script.removed, true);
    assert.equal([script.onload, script.onerror].every((handler) => handler === null), true, 'a late answer cannot settle anything');

    setSdkLoadTimeout(60_000);
    const retry = loadSdk('https://slow.example/sdk.js');
    assert.notEqual(retry, hanging);
    const second = injected.at(-1)!;
    assert.notEqual(second, script);
    portOne.PortOne = {};
    second.onload!();
    assert.equal(await outcome(retry), 'loaded');
  });
});

// Builds the sandbox's browser code (the `window.PortOne` runtime and the payment window script)
// into dist/sandbox/, where the built sandbox serves them from. Part of `npm run build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ASSET_ENTRIES, ASSET_FILES, bundle } from '../src/sandbox/assets.js';

const outDir = new URL('../dist/sandbox/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const key of ['runtime', 'page'] as const) {
  const code = await bundle(ASSET_ENTRIES[key]);
  const file = new URL(ASSET_FILES[key], outDir);
  writeFileSync(file, code);
  console.log(`dist/sandbox/${ASSET_FILES[key]}: ${code.length} bytes`);
}

#!/usr/bin/env node
// `npx portone-sandbox`: in a checkout of this repository (tsconfig.json and the TypeScript source
// beside this file, tsx installed) the source runs, so a `dist` left from an older build never
// answers instead of the code in front of you; an installed package runs its built `dist`.
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/sandbox/cli.js', root);
const source = new URL('src/sandbox/cli.ts', root);
const checkout = existsSync(new URL('tsconfig.json', root)) && existsSync(source);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

let cli;
const tsx = checkout || !existsSync(built) ? await loadTsx() : undefined;
if (tsx && existsSync(source)) {
  tsx.register();
  cli = await import(source.href);
} else if (existsSync(built)) {
  cli = await import(built.href);
} else {
  console.error('portone-sandbox: no built CLI (dist/sandbox/cli.js) and no tsx to run the TypeScript source; run `npm run build` first.');
  process.exit(1);
}
await cli.main(process.argv.slice(2));

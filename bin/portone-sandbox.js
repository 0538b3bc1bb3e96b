#!/usr/bin/env node
// `npx portone-sandbox`: the built CLI when `npm run build` made one, else the TypeScript source
// through tsx, so it also runs straight from a checkout of this repository.
import { existsSync } from 'node:fs';

const built = new URL('../dist/sandbox/cli.js', import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/sandbox/cli.ts', import.meta.url).href);
}
await cli.main(process.argv.slice(2));

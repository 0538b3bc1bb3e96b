// The built package in a consumer project as TypeScript sets one up by default (strict, no
// skipLibCheck): every entry point a page or a shop's server imports compiles, with no error from
// the package's declarations or its dependencies' (test/types/consumer).
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { ROOT } from './apps.js';

test('a strict consumer project without skipLibCheck compiles every element and server entry point', () => {
  const result = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${ROOT}test/types/consumer/tsconfig.json`], { encoding: 'utf8' });
  expect(`${result.stdout}${result.stderr}`).toBe('');
  expect(result.status).toBe(0);
});

// The Next.js shop. The package comes from this repository by a file: link, so the project root for
// the bundler is the repository (a shop installing from the registry needs none of this).
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repository = fileURLToPath(new URL('../../..', import.meta.url));

const config: NextConfig = {
  reactStrictMode: true,
  turbopack: { root: repository },
  outputFileTracingRoot: repository,
};

export default config;

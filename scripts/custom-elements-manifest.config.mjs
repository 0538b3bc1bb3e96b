// Custom Elements Manifest of the checkout elements, read from their class docblocks and Lit
// decorators. `npm run docs` writes custom-elements.json, then scripts/readme-reference.mjs renders
// it into the README.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // package.json already points at the manifest; do not let the analyzer rewrite it.
  packagejson: false,
};

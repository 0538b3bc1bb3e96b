// Two builds: `vite build --mode bundle` makes the one-script-tag bundle dist/portone-checkout.js
// (Lit's ReactiveElement included); plain `vite build` builds the sample shop's pages from demo/web into demo/dist.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function demoPages(): Record<string, string> {
  const dir = here('./demo/web/');
  const pages: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.html')) pages[name.slice(0, -'.html'.length)] = `${dir}${name}`;
  }
  return pages;
}

export default defineConfig(({ mode }) => {
  const resolve = { conditions: ['source', 'browser', 'module', 'import', 'default'] };
  if (mode === 'bundle') {
    return {
      resolve,
      publicDir: false,
      build: {
        outDir: here('./dist'),
        emptyOutDir: false,
        target: 'es2022',
        minify: true,
        sourcemap: true,
        // Lib mode leaves whitespace in ES output (to keep annotations for tree-shaking); this file is
        // an end product for <script type="module">, so minify it fully and drop every comment but one
        // short notice for the bundled @lit/reactive-element (BSD-3-Clause), instead of its repeated license headers.
        rolldownOptions: {
          output: {
            minify: true,
            comments: false,
            postBanner: '/*! portone-checkout-kit (MIT) | @lit/reactive-element: Copyright Google LLC, BSD-3-Clause */',
          },
        },
        lib: {
          entry: here('./src/bundle.ts'),
          formats: ['es'],
          fileName: () => 'portone-checkout.js',
        },
      },
    };
  }
  return {
    resolve,
    root: here('./demo/web'),
    publicDir: here('./demo/web/public'),
    build: {
      outDir: here('./demo/dist'),
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: { input: demoPages() },
    },
  };
});

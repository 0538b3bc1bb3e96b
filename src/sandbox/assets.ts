// The browser code the sandbox serves: the `window.PortOne` runtime (/v2/browser-sdk.js) and the
// payment window's script (/checkout/window.js). Installed packages serve the files
// `npm run build` wrote next to this module; from the TypeScript sources they are bundled in
// memory with esbuild, once per process, so tests always run the current code.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface BrowserAssets {
  runtime: string;
  page: string;
}

export const ASSET_FILES = { runtime: 'browser-sdk.js', page: 'window.js' } as const;

/** esbuild entry points, relative to this module's directory. */
export const ASSET_ENTRIES = { runtime: './window/runtime.ts', page: './window/page.ts' } as const;

let cached: Promise<BrowserAssets> | undefined;

export function loadBrowserAssets(): Promise<BrowserAssets> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

const fromSource = import.meta.url.endsWith('.ts');

async function load(): Promise<BrowserAssets> {
  if (!fromSource) {
    const [runtime, page] = await Promise.all([
      readFile(new URL(`./${ASSET_FILES.runtime}`, import.meta.url), 'utf8'),
      readFile(new URL(`./${ASSET_FILES.page}`, import.meta.url), 'utf8'),
    ]);
    return { runtime, page };
  }
  const [runtime, page] = await Promise.all([bundle(ASSET_ENTRIES.runtime), bundle(ASSET_ENTRIES.page)]);
  return { runtime, page };
}

/** Bundles one browser entry to a minified IIFE (also used by scripts/build-sandbox-sdk.ts). */
export async function bundle(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
    conditions: ['source', 'browser', 'import'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

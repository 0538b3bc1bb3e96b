// The framework apps under demo/frameworks and how each is installed and built. The PortOne sandbox
// the pages load their SDK from listens on a port fixed for the whole run, named at build time as
// a shop names its sandbox or PortOne's CDN (VITE_…, NEXT_PUBLIC_…, `ng build --define`).
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const APPS_DIR = `${ROOT}demo/frameworks/`;

export type AppName = 'next' | 'vue' | 'svelte' | 'angular';

export interface App {
  name: AppName;
  dir: string;
  /** Commands that type-check and build the app, given the sandbox's SDK URL. */
  build(sdkUrl: string): { command: string; args: string[]; env?: Record<string, string> }[];
  /** Where the built static files are (apps served by the test's own server), or undefined (Next.js serves itself). */
  staticDir?: string;
}

const bin = (app: string, name: string) => `${APPS_DIR}${app}/node_modules/.bin/${name}`;

export const APPS: Record<AppName, App> = {
  next: {
    name: 'next',
    dir: `${APPS_DIR}next`,
    build: (sdkUrl) => [{ command: bin('next', 'next'), args: ['build'], env: { NEXT_PUBLIC_PORTONE_SDK_URL: sdkUrl, NEXT_TELEMETRY_DISABLED: '1' } }],
  },
  vue: {
    name: 'vue',
    dir: `${APPS_DIR}vue`,
    staticDir: `${APPS_DIR}vue/dist`,
    build: (sdkUrl) => [
      { command: bin('vue', 'vue-tsc'), args: ['--noEmit'] },
      { command: bin('vue', 'vite'), args: ['build', '--logLevel', 'warn'], env: { VITE_PORTONE_SDK_URL: sdkUrl } },
    ],
  },
  svelte: {
    name: 'svelte',
    dir: `${APPS_DIR}svelte`,
    staticDir: `${APPS_DIR}svelte/dist`,
    build: (sdkUrl) => [
      { command: bin('svelte', 'svelte-check'), args: ['--fail-on-warnings', '--output', 'machine'] },
      { command: bin('svelte', 'vite'), args: ['build', '--logLevel', 'warn'], env: { VITE_PORTONE_SDK_URL: sdkUrl } },
    ],
  },
  angular: {
    name: 'angular',
    dir: `${APPS_DIR}angular`,
    staticDir: `${APPS_DIR}angular/dist/browser`,
    build: (sdkUrl) => [{ command: bin('angular', 'ng'), args: ['build', '--define', `PORTONE_SDK_URL=${JSON.stringify(sdkUrl)}`], env: { NG_CLI_ANALYTICS: 'false' } }],
  },
};

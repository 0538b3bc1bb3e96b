// Types of scripts/readme-reference.mjs for the TypeScript test that keeps the README in step.
export const START: string;
export const END: string;
export function renderReference(manifest: unknown): string;
export function updateReadme(readme: string, reference: string): string;
export function freshManifest(): Promise<{ modules: { declarations?: Record<string, unknown>[] }[] }>;

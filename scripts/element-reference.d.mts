// Types of scripts/element-reference.mjs for the TypeScript test that keeps docs/elements.md in step.
export const DOC: string;
export const START: string;
export const END: string;
export function renderReference(manifest: unknown): string;
export function updateReference(doc: string, reference: string): string;
export function freshManifest(): Promise<{ modules: { declarations?: Record<string, unknown>[] }[] }>;

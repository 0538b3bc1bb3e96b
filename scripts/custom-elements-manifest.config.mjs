// Custom Elements Manifest of the checkout elements, read from their class docblocks and Lit
// property declarations. `npm run docs` writes custom-elements.json, then
// scripts/element-reference.mjs renders it into docs/elements.md.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** The SDK request type behind each element's generic `RequestOf[K]`. */
const REQUEST_TYPES = {
  'portone-payment-button': 'PaymentRequest',
  'portone-billing-key-button': 'IssueBillingKeyRequest',
  'portone-billing-key-and-pay-button': 'IssueBillingKeyAndPayRequest',
  'portone-identity-verification-button': 'IdentityVerificationRequest',
};

/**
 * Keeps the manifest to the public surface: documented `portone-*` events, no `#private` or static
 * members, and concrete request types instead of the base class's type parameter.
 */
function publicSurface() {
  return {
    name: 'portone-public-surface',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) {
            // The analyzer also lists each `dispatchEvent(new X(…))` as an unnamed event; the
            // `@fires` tags are the documented ones.
            const seen = new Set();
            declaration.events = declaration.events.filter((event) => {
              if (!event.name?.startsWith('portone-') || seen.has(event.name)) return false;
              seen.add(event.name);
              return true;
            });
          }
          if (declaration.members) {
            declaration.members = declaration.members.filter((member) => member.privacy !== 'private' && !member.name.startsWith('#') && !member.static);
            // Inherited members are shared between declarations: copy before changing.
            const request = REQUEST_TYPES[declaration.tagName];
            declaration.members = declaration.members.map((member) =>
              request && member.type?.text?.includes('RequestOf[K]') ? { ...member, type: { ...member.type, text: member.type.text.replace('RequestOf[K]', request) } } : member,
            );
          }
        }
      }
    },
  };
}

/** `src/x.ts` → `dist/x.js`: the manifest names what the package ships and a page imports. */
const shipped = (path) => path.replace(/^(?:\.?\/)?src\/(.+)\.[jt]s$/, 'dist/$1.js');

/**
 * Module paths point at the shipped JavaScript (`dist/…js`), as the manifest schema asks ("the path
 * to the javascript file needed to be imported"), not at the TypeScript sources; a re-export's
 * relative module (`./x.js`) becomes a path from the package root too.
 */
function shippedPaths() {
  return {
    name: 'portone-shipped-paths',
    packageLinkPhase({ customElementsManifest }) {
      const visit = (node, dir) => {
        if (Array.isArray(node)) return node.forEach((item) => visit(item, dir));
        if (!node || typeof node !== 'object') return;
        for (const [key, value] of Object.entries(node)) {
          if (key === 'module' || key === 'path') {
            if (typeof value === 'string') node[key] = shipped(value.startsWith('.') ? posix.join(dir, value) : value);
          } else visit(value, dir);
        }
      };
      for (const module of customElementsManifest.modules) {
        const dir = posix.dirname(module.path);
        visit(module, dir);
      }
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  // Styles, and the modules behind the base class (its controller, texts, outcome mapping): not elements.
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/base/attempt-controller.ts', 'src/elements/base/outcome.ts', 'src/elements/base/texts.ts'],
  outdir: '.',
  litelement: true,
  // package.json already points at the manifest; do not let the analyzer rewrite it.
  packagejson: false,
  plugins: [publicSurface(), shippedPaths()],
  // The glob walk's order varies from run to run; sorted, the manifest is byte-for-byte reproducible
  // (test/elements/element-reference.test.ts compares it with the committed one).
  overrideModuleCreation({ ts, globs }) {
    return [...globs].sort().map((glob) =>
      ts.createSourceFile(glob, readFileSync(new URL(`../${glob}`, import.meta.url), 'utf8'), ts.ScriptTarget.ES2015, true),
    );
  },
};

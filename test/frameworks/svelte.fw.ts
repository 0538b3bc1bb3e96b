// The Svelte 5 checkout page in Chromium, against the sandbox and the kit (see support.ts).
import { checkoutSuite } from './support.js';

checkoutSuite('svelte', 'Svelte 5');

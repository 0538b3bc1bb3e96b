// The Vue 3 checkout page in Chromium, against the sandbox and the kit (see support.ts).
import { checkoutSuite } from './support.js';

checkoutSuite('vue', 'Vue 3');

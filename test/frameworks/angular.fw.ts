// The Angular 21 checkout page in Chromium, against the sandbox and the kit (see support.ts).
import { checkoutSuite } from './support.js';

checkoutSuite('angular', 'Angular 21');

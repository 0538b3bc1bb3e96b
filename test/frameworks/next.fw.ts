// The Next.js 16 (React 19, server-rendered and hydrated) checkout page in Chromium, against the sandbox and the kit (see support.ts).
import { checkoutSuite } from './support.js';

checkoutSuite('next', 'Next.js 16 (React 19, server-rendered and hydrated)');

import { serveCheckout } from 'portone-checkout-kit/server/node';
import { kit } from './checkout.js';

const server = await serveCheckout(kit, { port: Number(process.env.PORT ?? 3000) });
console.log(`checkout kit at ${server.url}/portone`);

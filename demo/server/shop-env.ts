// The Hono environment every route of the shop shares: the Node server's bindings, and what the
// shop's middlewares put on a request for the routes after them (the app's and the admin's alike).
import type { HttpBindings } from '@hono/node-server';
import type { Lang } from '../shared/i18n.js';

export type ShopEnv = {
  Bindings: HttpBindings;
  Variables: {
    memberId: string | undefined;
    lang: Lang;
    /** The client's address (clients.ts): the socket's, or behind a trusted proxy the one it forwarded. */
    clientAddress: string;
    /** Whether the browser reached the shop over https (security.ts): its cookies are then Secure. */
    https: boolean;
    /** The nonce of this response's inline scripts, when it is a page (security.ts). */
    cspNonce: string;
  };
};

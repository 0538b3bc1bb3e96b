// Node adapter: the kit's Web-standard fetch behind node:http, through @hono/node-server.
import { getRequestListener, serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckoutServer } from './create-checkout-server.js';

/**
 * A `(req, res)` listener for `node:http` or Express. Express strips its mount path from the URL, so
 * `app.use('/portone', toNodeListener(kit))` goes with `basePath: ''`.
 */
export function toNodeListener(kit: Pick<CheckoutServer, 'fetch'>): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return getRequestListener((request) => kit.fetch(request), { overrideGlobalObjects: false });
}

export interface ServedCheckout {
  /** e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the kit on its own port. Binds 127.0.0.1 unless told otherwise. */
export function serveCheckout(kit: Pick<CheckoutServer, 'fetch'>, options: { port?: number; hostname?: string } = {}): Promise<ServedCheckout> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: (request) => kit.fetch(request), port: options.port ?? 0, hostname, overrideGlobalObjects: false }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}

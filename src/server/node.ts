// Node adapter: the kit's Web-standard fetch behind node:http, through @hono/node-server.
import { getRequestListener, serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckoutServer } from './create-checkout-server.js';
import { BODY_ALREADY_READ_MESSAGE, CheckoutError } from './errors.js';

/**
 * A `(req, res)` listener for `node:http` or Express. Express strips its mount path from the URL, so
 * `app.use('/portone', toNodeListener(kit))` goes with `basePath: ''`. Mount it before any body
 * parser: webhooks are verified over the exact bytes PortOne signed. Where a parser must run first,
 * the bytes it kept are used — `req.rawBody` (a Buffer, e.g. from `express.json({ verify })`), or a
 * Buffer or string `req.body` (`express.raw()`, `express.text()`); a body parsed into an object
 * with no bytes kept is answered `500 BODY_ALREADY_READ`, naming the parser and the fix.
 */
export function toNodeListener(kit: Pick<CheckoutServer, 'fetch'>): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const listener = getRequestListener((request) => kit.fetch(request), { overrideGlobalObjects: false });
  return (req, res) => {
    const incoming = req as IncomingMessage & { body?: unknown; rawBody?: unknown };
    if (!(incoming.rawBody instanceof Buffer) && incoming.body !== undefined) {
      if (incoming.body instanceof Uint8Array || typeof incoming.body === 'string') {
        // The parser kept the bytes themselves: the adapter reads `rawBody` instead of the spent stream.
        incoming.rawBody = Buffer.from(incoming.body as Uint8Array | string);
      } else if (incoming.readableEnded) {
        const error = new CheckoutError('BODY_ALREADY_READ', BODY_ALREADY_READ_MESSAGE);
        res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify(error.toJSON()));
        console.error(`[checkout] ${error.code}: ${error.message}`);
        return Promise.resolve();
      }
    }
    return listener(req, res);
  };
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

// The sandbox's HTTP front, on raw node:http for speed: one listener that sends each request to
// its surface — PortOne's REST API, the browser runtime and payment window, or the sandbox's own
// dashboard and controls. `GET /payments/{id}` as the server SDK sends it answers from cached bytes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from '../auth.js';
import type { Checkout } from '../checkout/checkout.js';
import type { SandboxCore } from '../core/core.js';
import { createCheckoutFront } from './checkout.js';
import { createControlFront, type Controls } from './controls.js';
import { JSON_TYPE, noop } from './respond.js';
import { createRestFront, sendText } from './rest.js';

export interface HttpDeps {
  core: SandboxCore;
  auth: Auth;
  checkout: Checkout;
  /** What the control routes drive (the Sandbox object's methods). */
  controls: Controls;
  /** The token the control routes require. */
  controlToken: string;
}

export function createRequestListener(deps: HttpDeps): { listener: (req: IncomingMessage, res: ServerResponse) => void; hung: Set<ServerResponse> } {
  const { core, auth } = deps;
  const { runtime } = core;
  const rest = createRestFront(core, auth);
  const checkout = createCheckoutFront(runtime, deps.checkout);
  const controls = createControlFront(core, deps.controls, deps.controlToken);

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    // Hot path: `GET /payments/{id}` as the server SDK sends it (no query, no faults, no log)
    // answers from the cached bytes (not while logging or observed). Everything else, errors included,
    // takes the general path.
    if (req.method === 'GET' && url.startsWith('/payments/') && url.indexOf('/', 10) === -1 && url.indexOf('?') === -1 && !runtime.faultsActive && runtime.log === noop && !runtime.onRestExchange && auth.check(req.headers.authorization)) {
      const raw = url.slice(10);
      const body = raw.indexOf('%') === -1 ? runtime.state.paymentBody(raw) : undefined;
      if (body !== undefined) {
        res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': body.length });
        res.end(body);
        return;
      }
    }
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    if (rest.handle(req, res, path, query)) return;
    if (path.startsWith('/checkout/') || path === '/v2/browser-sdk.js') {
      void checkout(req, res, path);
      return;
    }
    if (path === '/sandbox' || path.startsWith('/sandbox/')) {
      void controls(req, res, path, query);
      return;
    }
    if (path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: '/sandbox/' }).end();
      return;
    }
    sendText(res, 404, `Not Found: no PortOne V2 API route ${req.method} ${path} (the sandbox emulates the payment, billing-key, schedule and auth endpoints).`);
  };
  return { listener, hung: rest.hung };
}

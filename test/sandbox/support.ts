// Shared fixtures for the sandbox tests: a sandbox per test (its REST calls held to PortOne's
// OpenAPI), a webhook receiver that records every delivery, and `verifyAll`, which runs
// `Webhook.verify` from @portone/server-sdk on each.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Webhook } from '@portone/server-sdk';
import { PortOneClient } from '@portone/server-sdk';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { contractRecorder } from './contract.js';
import type { KnownPayment } from '../../src/sandbox/payments.js';
import type { PaymentCancellation, SucceededPaymentCancellation } from '@portone/server-sdk/payment';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
  status: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Decides the answer to the n-th request (0-based); default 200. */
  answer: (n: number, body: string) => number;
  close(): Promise<void>;
}

export async function startReceiver(t?: TestContext): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const status = receiver.answer(receiver.received.length, body);
      receiver.received.push({ headers: req.headers, body, path: req.url ?? '/', status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/portone/webhooks`;
  receiver.close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  t?.after(() => receiver.close());
  return receiver;
}

/** Every delivery verified with the server SDK's `Webhook.verify`; returns the parsed payloads. */
export async function verifyAll(secret: string, received: readonly ReceivedWebhook[]): Promise<Webhook.Webhook[]> {
  const out: Webhook.Webhook[] = [];
  for (const delivery of received) out.push(await Webhook.verify(secret, delivery.body, delivery.headers as Record<string, string>));
  return out;
}

/**
 * A sandbox for one test, closed after it. Every REST call the test makes is held to PortOne's
 * OpenAPI document (./contract.ts): a deviation fails the test when it ends, listed.
 */
export async function withSandbox(t: TestContext, options: SandboxOptions = {}): Promise<Sandbox> {
  const contract = contractRecorder();
  const sandbox = await createSandbox({ onRestExchange: contract.onRestExchange, ...options });
  t.after(async () => {
    await sandbox.close();
    assert.deepEqual(contract.problems(), [], 'every REST exchange fits PortOne\'s OpenAPI document');
  });
  return sandbox;
}

export const clientFor = (sandbox: Sandbox) => PortOneClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });

/** The thrown value of a rejected promise (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Polls until `check` passes or the time is up (for deliveries that happen asynchronously). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const webhookTypes = (received: readonly ReceivedWebhook[]): string[] => received.map((r) => (JSON.parse(r.body) as { type: string }).type);

/** The sandbox's view of a payment, narrowed to the variants it produces (fails when absent). */
export function paymentOf(sandbox: Sandbox, paymentId: string): KnownPayment {
  const payment = sandbox.payment(paymentId);
  if (!payment) throw new Error(`payment ${paymentId} does not exist`);
  return payment as KnownPayment;
}

/** A cancellation the sandbox reports as succeeded. */
export function succeeded(cancellation: PaymentCancellation): SucceededPaymentCancellation {
  if (cancellation.status !== 'SUCCEEDED') throw new Error(`expected a SUCCEEDED cancellation, got ${String(cancellation.status)}`);
  return cancellation;
}

// Throughput of the sandbox's hot path, `GET /payments/{id}` with `Authorization: PortOne …`, on
// loopback. The kit's own benchmark reads payments from the sandbox, so it must never be the
// bottleneck (target ≥ 5,000 requests/s on 2 cores).
import { createSandbox } from '../src/sandbox/index.js';
import { figure, runLoad } from './support/load.js';

const PAYMENTS = 200;
const sandbox = await createSandbox();
try {
  const ids: string[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const paymentId = `bench-${i}`;
    await sandbox.pay({ paymentId, orderName: `벤치마크 주문 ${i}`, totalAmount: 10_000 + i, customData: { orderId: i } }, i % 10 === 0 ? { result: 'decline' } : undefined);
    ids.push(paymentId);
  }
  const headers = { authorization: `PortOne ${sandbox.apiSecret}`, 'user-agent': 'portone-server-sdk-js/js-v0.19.0' };
  const sample = await fetch(`${sandbox.url}/payments/${ids[1]}`, { headers });
  const bytes = (await sample.text()).length;
  const result = await runLoad({
    requests: ids.map((id) => ({ method: 'GET' as const, url: `${sandbox.url}/payments/${encodeURIComponent(id)}`, headers })),
    connections: 32,
    durationMs: 4_000,
    warmupMs: 1_000,
  });
  console.log(`GET /payments/{id}: ${result.requests} requests in ${result.durationMs} ms over 32 connections, ${bytes}-byte payments; p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; statuses ${JSON.stringify(result.statuses)}`);
  figure('sandbox-get-payment-rps', result.rps);
  if (result.errors > 0) {
    console.error(`sandbox bench: ${result.errors} requests failed`);
    process.exitCode = 1;
  }
} finally {
  await sandbox.close();
}

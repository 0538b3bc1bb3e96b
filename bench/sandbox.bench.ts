// Throughput of the sandbox's hot path, `GET /payments/{id}` with `Authorization: PortOne …`, on
// loopback. The kit's own benchmark reads payments from the sandbox, so it must never be the
// bottleneck (target ≥ 5,000 requests/s on 2 cores).
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createSandbox } from '../src/sandbox/index.js';
import { figure, runLoad } from './support/load.js';

/** CPU time of the main thread (the server; the load runs in a worker), ms. Linux only. */
function serverCpuMs(): number | undefined {
  const stat = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(stat)) return undefined;
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

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
  const cpuBefore = serverCpuMs();
  const result = await runLoad({
    requests: ids.map((id) => ({ method: 'GET' as const, url: `${sandbox.url}/payments/${encodeURIComponent(id)}`, headers })),
    connections: 32,
    durationMs: 4_000,
    warmupMs: 1_000,
  });
  console.log(`GET /payments/{id}: ${result.requests} requests in ${result.durationMs} ms over 32 connections, ${bytes}-byte payments; p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; statuses ${JSON.stringify(result.statuses)}`);
  const cpuAfter = serverCpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0) {
    // Warm-up requests count too: divide by everything the server answered in the run.
    const answered = result.requests * ((4_000 + 1_000) / 4_000);
    const perRequestUs = ((cpuAfter - cpuBefore) * 1000) / answered;
    console.log(`server CPU per request ≈ ${perRequestUs.toFixed(0)} µs (one core would serve ≈ ${Math.round(1e6 / perRequestUs)} requests/s); load average ${loadavg()[0]!.toFixed(1)} (other work on the machine lowers the figure)`);
  }
  figure('sandbox-get-payment-rps', result.rps);
  if (result.errors > 0) {
    console.error(`sandbox bench: ${result.errors} requests failed`);
    process.exitCode = 1;
  }
} finally {
  await sandbox.close();
}

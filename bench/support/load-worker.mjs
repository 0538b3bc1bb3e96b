// Worker side of bench/support/load.ts: keep-alive connections in a closed loop, measured after a warm-up.
import { parentPort, workerData } from 'node:worker_threads';
import http from 'node:http';

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

async function generate(options) {
  const connections = options.connections ?? 32;
  const durationMs = options.durationMs ?? 3000;
  const warmupMs = options.once ? 0 : (options.warmupMs ?? 500);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const stopAt = measureFrom + durationMs;

  const send = (request) =>
    new Promise((done) => {
      const req = http.request(request.url, { method: request.method, headers: request.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      });
      req.on('error', () => done(0));
      req.end(request.body);
    });

  const loop = async () => {
    for (;;) {
      if (options.once && next >= options.requests.length) return;
      const now = performance.now();
      if (now >= stopAt) return;
      const request = options.requests[next++ % options.requests.length];
      const t0 = performance.now();
      const status = await send(request);
      const t1 = performance.now();
      if (t0 < measureFrom) continue;
      latencies.push(t1 - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 300) errors++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const measured = Math.min(performance.now(), stopAt) - measureFrom;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    statuses,
    durationMs: Math.round(measured),
    rps: Math.round((latencies.length / measured) * 1000),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
  };
}

generate(workerData).then((result) => parentPort.postMessage(result));

// A small closed-loop HTTP load generator for the benchmarks. It runs in a worker thread
// (load-worker.mjs) so the server under test keeps the main thread's event loop to itself.
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  method: 'GET' | 'POST';
  /** Absolute URL on loopback. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** Requests to send, cycled through in order (one list shared by all connections). */
  requests: LoadRequest[];
  /** Concurrent keep-alive connections. Default 32. */
  connections?: number;
  /** Measured duration, ms. Default 3000. */
  durationMs?: number;
  /** Unmeasured warm-up before it, ms. Default 500. */
  warmupMs?: number;
  /** Stop after this many measured requests even if time remains (each request is sent at most once when `once` is set). */
  once?: boolean;
}

export interface LoadResult {
  requests: number;
  /** Answers outside 2xx, and transport errors. */
  errors: number;
  /** Status codes seen, with counts. */
  statuses: Record<string, number>;
  durationMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs the load in a worker thread and resolves with the measured figures. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Plain JavaScript, so the worker needs no TypeScript loader and costs the server nothing.
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: options });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with code ${code}`));
    });
  });
}

/** Prints a figure line in the form the benchmark contract names: `figure: <name> <value>`. */
export function figure(name: string, value: number | string): void {
  console.log(`figure: ${name} ${value}`);
}

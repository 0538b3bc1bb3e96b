// A web-test-runner plugin that gives browser tests their own PortOne sandbox, started in the
// test runner's Node process. Browser side: `startSandbox()` in ./browser-support.ts.
import type { TestRunnerPlugin } from '@web/test-runner-core';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

/** Sandbox methods a browser test may call through `executeServerCommand`. */
export const SANDBOX_CALLS = [
  'nextOutcome', 'nextChargeOutcome', 'nextIdentityOutcome', 'payment', 'billingKey', 'identityVerification', 'testPerson', 'schedules',
  'deposit', 'advance', 'now', 'webhookDeliveries', 'flushWebhooks', 'setFaults', 'setWebhookUrls', 'reset',
] as const;

export interface SandboxInfo {
  id: string;
  url: string;
  sdkUrl: string;
  dashboardUrl: string;
  storeId: string;
  apiSecret: string;
  webhookSecret: string;
  channelKeys: Sandbox['channelKeys'];
}

export function sandboxPlugin(): TestRunnerPlugin {
  const running = new Map<string, { sandbox: Sandbox; session: string }>();
  let next = 0;
  const closeWhere = async (keep: (session: string) => boolean) => {
    for (const [id, entry] of running) {
      if (keep(entry.session)) continue;
      running.delete(id);
      await entry.sandbox.close();
    }
  };
  return {
    name: 'portone-sandbox',
    async executeCommand({ command, payload, session }) {
      if (command === 'portone-sandbox:start') {
        const sandbox = await createSandbox((payload ?? {}) as SandboxOptions);
        const id = `sandbox-${++next}`;
        running.set(id, { sandbox, session: session.id });
        const info: SandboxInfo = {
          id,
          url: sandbox.url,
          sdkUrl: sandbox.sdkUrl,
          dashboardUrl: sandbox.dashboardUrl,
          storeId: sandbox.storeId,
          apiSecret: sandbox.apiSecret,
          webhookSecret: sandbox.webhookSecret,
          channelKeys: sandbox.channelKeys,
        };
        return info;
      }
      if (command === 'portone-sandbox:call') {
        const { id, method, args = [] } = payload as { id: string; method: (typeof SANDBOX_CALLS)[number]; args?: unknown[] };
        const entry = running.get(id);
        if (!entry) throw new Error(`portone-sandbox:call: no running sandbox ${id}`);
        if (!SANDBOX_CALLS.includes(method)) throw new Error(`portone-sandbox:call: ${method} is not callable from a browser test`);
        // The browser's arguments crossed as JSON, where an omitted one became null: drop those again.
        const given = [...args];
        while (given.length > 0 && given[given.length - 1] === null) given.pop();
        const result = await (entry.sandbox[method] as (...a: unknown[]) => unknown)(...given);
        return { result: result === undefined ? null : result };
      }
      if (command === 'portone-sandbox:rest') {
        // A REST call made from Node with the API secret (PortOne's API is not for browsers: no CORS).
        const { id, method, path, body } = payload as { id: string; method: string; path: string; body?: unknown };
        const entry = running.get(id);
        if (!entry) throw new Error(`portone-sandbox:rest: no running sandbox ${id}`);
        const response = await fetch(`${entry.sandbox.url}${path}`, {
          method,
          headers: { authorization: `PortOne ${entry.sandbox.apiSecret}` },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, body: await response.json() };
      }
      if (command === 'portone-sandbox:stop') {
        // A test file's `after()` ends its sandboxes; whatever is left ends with the run.
        await closeWhere((owner) => owner !== session.id);
        return true;
      }
      return undefined;
    },
    async serverStop() {
      await closeWhere(() => false);
    },
  };
}

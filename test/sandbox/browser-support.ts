// Browser side of the sandbox plugin: `startSandbox()` gives a test file its own sandbox and a
// proxy whose methods run on the real Sandbox in the test runner's Node process.
import { executeServerCommand } from '@web/test-runner-commands';
import type { Payment } from '@portone/server-sdk/payment';
import type { BillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type {
  KnownIdentityVerification,
  SandboxChargeOutcome,
  SandboxDepositOptions,
  SandboxFaults,
  SandboxIdentityOutcome,
  SandboxOutcome,
  SandboxOptions,
  SandboxTestPersonKey,
  SandboxVerifiedPerson,
  SandboxWebhookDelivery,
} from '../../src/sandbox/index.js';
import type { SandboxInfo } from './wtr-sandbox-plugin.js';

export interface BrowserSandbox extends SandboxInfo {
  nextOutcome(outcome: SandboxOutcome): Promise<void>;
  nextChargeOutcome(outcome: SandboxChargeOutcome): Promise<void>;
  nextIdentityOutcome(outcome: SandboxIdentityOutcome): Promise<void>;
  payment(paymentId: string): Promise<Payment | null>;
  identityVerification(identityVerificationId: string): Promise<KnownIdentityVerification | null>;
  testPerson(key: SandboxTestPersonKey): Promise<SandboxVerifiedPerson>;
  billingKey(billingKey: string): Promise<BillingKeyInfo | null>;
  deposit(paymentId: string, amount?: number, options?: SandboxDepositOptions): Promise<Payment>;
  advance(ms: number): Promise<void>;
  webhookDeliveries(): Promise<SandboxWebhookDelivery[]>;
  flushWebhooks(): Promise<void>;
  setFaults(faults: SandboxFaults): Promise<void>;
  reset(): Promise<void>;
  /** A PortOne REST call, made from Node with the API secret. */
  rest(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function startSandbox(options: Omit<SandboxOptions, 'log'> = {}): Promise<BrowserSandbox> {
  const info = await executeServerCommand<SandboxInfo, typeof options>('portone-sandbox:start', options);
  const call = async (method: string, ...args: unknown[]) =>
    (await executeServerCommand<{ result: unknown }, unknown>('portone-sandbox:call', { id: info.id, method, args })).result;
  after(() => executeServerCommand('portone-sandbox:stop'));
  return {
    ...info,
    nextOutcome: (o) => call('nextOutcome', o) as Promise<void>,
    nextChargeOutcome: (o) => call('nextChargeOutcome', o) as Promise<void>,
    nextIdentityOutcome: (o) => call('nextIdentityOutcome', o) as Promise<void>,
    payment: (id) => call('payment', id) as Promise<Payment | null>,
    identityVerification: (id) => call('identityVerification', id) as Promise<KnownIdentityVerification | null>,
    testPerson: (key) => call('testPerson', key) as Promise<SandboxVerifiedPerson>,
    billingKey: (key) => call('billingKey', key) as Promise<BillingKeyInfo | null>,
    deposit: (id, amount, options) => call('deposit', id, amount, options) as Promise<Payment>,
    advance: (ms) => call('advance', ms) as Promise<void>,
    webhookDeliveries: () => call('webhookDeliveries') as Promise<SandboxWebhookDelivery[]>,
    flushWebhooks: () => call('flushWebhooks') as Promise<void>,
    setFaults: (f) => call('setFaults', f) as Promise<void>,
    reset: () => call('reset') as Promise<void>,
    rest: (method, path, body) => executeServerCommand('portone-sandbox:rest', { id: info.id, method, path, body }),
  };
}

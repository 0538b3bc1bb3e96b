// `createSandbox`: starts the PortOne V2 emulator on loopback and hands back its URL, credentials
// and controls (see types.ts for the contract).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { IdentityVerificationError, IssueBillingKeyAndPayError, IssueBillingKeyError, PaymentError } from '@portone/browser-sdk/v2';
import type { IdentityVerificationResponse, IssueBillingKeyAndPayResponse, IssueBillingKeyResponse, PaymentResponse } from '../client/portone-types.js';
import type { Payment } from '@portone/server-sdk/payment';
import type { BillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import { Auth } from './auth.js';
import { SandboxCore } from './core/core.js';
import { Checkout } from './checkout/checkout.js';
import { CheckoutRejection } from './checkout/rules.js';
import type { TransactionKind, WindowResponse } from './checkout/protocol.js';
import { createRequestListener } from './http/listener.js';
import { noop } from './http/respond.js';
import { checkControlToken, checkFunction, checkIdentityOutcome, checkManualApprovalTtl, checkNow, checkOutcome, checkStoreName, checkWebhookUrls, generateControlToken, validateFaults } from './options.js';
import { readSnapshot, type Credentials } from './core/state.js';
import { PORTONE_RETRY_DELAYS_MS, PORTONE_WEBHOOK_TIMEOUT_MS, webhookKey } from './webhooks.js';
import { DESKTOP_USER_AGENT, MOBILE_USER_AGENT, SANDBOX_CUSTOMER, defaultChannels, generateApiSecret, generateWebhookSecret } from './defaults.js';
import { createTriggers } from './triggers.js';
import { usageError } from './errors.js';
import { isTestPersonKey, testPersonAt, TEST_PERSON_KEYS } from './identity/persons.js';
import type { SandboxIdentityOutcome } from './identity/types.js';
import type {
  Sandbox,
  SandboxChargeOutcome,
  SandboxDepositOptions,
  SandboxDriveOptions,
  SandboxFaults,
  SandboxOptions,
  SandboxOutcome,
} from './types.js';

/** Starts a sandbox on 127.0.0.1 (a free port unless `port` is given). */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const snapshot = options.persistPath ? readSnapshot(options.persistPath) : undefined;
  const persisted = snapshot?.credentials;
  const webhookSecrets = options.webhookSecret !== undefined
    ? (Array.isArray(options.webhookSecret) ? [...options.webhookSecret] : [options.webhookSecret])
    : persisted?.webhookSecrets ?? [generateWebhookSecret()];
  webhookSecrets.forEach(webhookKey);
  const channels = options.channels ?? persisted?.channels ?? defaultChannels();
  if (channels.length === 0) throw new RangeError('channels: expected at least one channel');
  if (new Set(channels.map((c) => c.key)).size !== channels.length) throw new RangeError('channels: every channel needs its own key');
  const odd = channels.find((c) => c.pgProvider !== 'INICIS_V2' && c.pgProvider !== 'INICIS_UNIFIED');
  if (odd) throw new RangeError(`channels: pgProvider must be INICIS_V2 (payments) or INICIS_UNIFIED (identity verification), got ${JSON.stringify(odd.pgProvider)} for ${JSON.stringify(odd.key)}`);
  const credentials: Credentials = {
    storeId: options.storeId ?? persisted?.storeId ?? `store-${randomUUID()}`,
    merchantId: options.merchantId ?? persisted?.merchantId ?? `merchant-${randomUUID()}`,
    apiSecret: options.apiSecret ?? persisted?.apiSecret ?? generateApiSecret(),
    webhookSecrets,
    channels,
    controlToken: checkControlToken(options.controlToken ?? persisted?.controlToken ?? generateControlToken()),
  };
  const retryDelaysMs = options.webhookRetryDelaysMs ?? PORTONE_RETRY_DELAYS_MS;
  if (!Array.isArray(retryDelaysMs) || retryDelaysMs.length === 0 || retryDelaysMs.some((d) => !(d >= 0))) {
    throw new RangeError(`webhookRetryDelaysMs: expected a non-empty list of delays in ms ≥ 0, got ${JSON.stringify(retryDelaysMs)}`);
  }
  const log = options.log ?? noop;
  const core = new SandboxCore({
    credentials,
    webhookUrls: checkWebhookUrls(options.webhookUrls ?? [], 'webhookUrls'),
    retryDelaysMs,
    webhookTimeoutMs: options.webhookTimeoutMs ?? PORTONE_WEBHOOK_TIMEOUT_MS,
    clock: options.clock ?? 'real',
    ...(options.now !== undefined ? { now: checkNow(options.now) } : {}),
    faults: validateFaults(options.faults ?? {}),
    ...(options.persistPath ? { persistPath: options.persistPath } : {}),
    storeName: checkStoreName(options.storeName),
    manualApprovalTtlMs: checkManualApprovalTtl(options.manualApprovalTtlMs),
    log,
    ...(options.onRestExchange ? { onRestExchange: checkFunction(options.onRestExchange, 'onRestExchange') } : {}),
  });
  const { runtime, ledger } = core;
  const auth = new Auth(credentials.apiSecret, () => runtime.now());
  const checkout = new Checkout(core);

  const channelKeys = {
    payment: channels[0]!.key,
    billingKey: (channels[1] ?? channels[0]!).key,
    billingKeyAndPay: (channels[2] ?? channels[1] ?? channels[0]!).key,
    live: (channels.find((c) => c.type === 'LIVE') ?? channels[0]!).key,
    // Without an identity channel, verifications on channels[0] are refused as PortOne refuses them.
    identityVerification: (channels.find((c) => c.pgProvider === 'INICIS_UNIFIED') ?? channels[0]!).key,
  };

  const drive = async <R extends WindowResponse>(kind: TransactionKind, request: unknown, outcome: SandboxOutcome | undefined, driveOptions: SandboxDriveOptions | undefined): Promise<R> => {
    try {
      // Before the window opens: a bad outcome must not leave a READY payment behind.
      const scripted = outcome === undefined ? undefined : checkOutcome<SandboxOutcome>(outcome, 'outcome', ['approve', 'decline', 'cancel']);
      const userAgent = driveOptions?.device === 'mobile' ? MOBILE_USER_AGENT : DESKTOP_USER_AGENT;
      const { tx } = checkout.prepare({ transactionType: kind, request, client: { userAgent, ...(scripted ? { outcome: scripted } : {}) } });
      return (await checkout.complete(tx.txId, tx.outcome ?? { result: 'approve' })).response as R;
    } catch (error) {
      if (!(error instanceof CheckoutRejection)) throw error;
      const ids = error as CheckoutRejection & { paymentId?: string; txId?: string };
      const code = error.code as PaymentError['code'];
      const pg = { pgCode: error.pgCode, pgMessage: error.pgMessage };
      if (kind === 'PAYMENT') throw new PaymentError({ code, message: error.message, txId: ids.txId, paymentId: ids.paymentId, ...pg });
      if (kind === 'ISSUE_BILLING_KEY') throw new IssueBillingKeyError({ code: code as IssueBillingKeyError['code'], message: error.message, ...pg });
      throw new IssueBillingKeyAndPayError({ code: code as IssueBillingKeyAndPayError['code'], message: error.message, txId: ids.txId, paymentId: ids.paymentId, ...pg });
    }
  };

  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  const verifyIdentity: Sandbox['verifyIdentity'] = async (request, outcome, driveOptions) => {
    try {
      const scripted = outcome === undefined ? undefined : checkIdentityOutcome(outcome, 'outcome');
      const userAgent = driveOptions?.device === 'mobile' ? MOBILE_USER_AGENT : DESKTOP_USER_AGENT;
      const { tx } = checkout.prepare({
        transactionType: 'IDENTITY_VERIFICATION',
        request: {
          storeId: credentials.storeId,
          channelKey: channelKeys.identityVerification,
          identityVerificationId: `identity-verification-${randomUUID()}`,
          bypass: { inicisUnified: { flgFixedUser: 'N' } },
          ...request,
        },
        client: { userAgent, ...(scripted ? { outcome: scripted } : {}) },
      });
      return (await checkout.complete(tx.txId, tx.outcome ?? { result: 'approve' })).response as IdentityVerificationResponse;
    } catch (error) {
      if (!(error instanceof CheckoutRejection)) throw error;
      const ids = error as CheckoutRejection & { identityVerificationId?: string };
      throw new IdentityVerificationError({
        code: error.code as IdentityVerificationError['code'],
        message: error.message,
        identityVerificationId: ids.identityVerificationId,
        pgCode: error.pgCode,
        pgMessage: error.pgMessage,
      });
    }
  };

  const pay: Sandbox['pay'] = (request, outcome, driveOptions) =>
    drive<PaymentResponse>('PAYMENT', {
      storeId: credentials.storeId,
      channelKey: channelKeys.payment,
      orderName: '샌드박스 테스트 주문',
      currency: 'KRW',
      payMethod: 'CARD',
      customer: SANDBOX_CUSTOMER,
      ...request,
    }, outcome, driveOptions);
  const issueBillingKey: Sandbox['issueBillingKey'] = (request, outcome, driveOptions) =>
    drive<IssueBillingKeyResponse>('ISSUE_BILLING_KEY', {
      storeId: credentials.storeId,
      channelKey: channelKeys.billingKey,
      billingKeyMethod: 'CARD',
      issueId: `issue-${randomUUID()}`,
      issueName: '정기결제 카드 등록',
      customer: SANDBOX_CUSTOMER,
      ...request,
    }, outcome, driveOptions);
  const issueBillingKeyAndPay: Sandbox['issueBillingKeyAndPay'] = (request, outcome, driveOptions) =>
    drive<IssueBillingKeyAndPayResponse>('ISSUE_BILLING_KEY_AND_PAY', {
      storeId: credentials.storeId,
      channelKey: channelKeys.billingKeyAndPay,
      billingKeyAndPayMethod: 'MOBILE',
      orderName: '샌드박스 정기결제',
      currency: 'KRW',
      productType: 'DIGITAL',
      customer: SANDBOX_CUSTOMER,
      ...request,
    }, outcome, driveOptions);

  const triggers = createTriggers({
    core,
    checkout,
    auth,
    pay: (request, outcome) => pay(request as Parameters<Sandbox['pay']>[0], outcome),
    issueBillingKey: (outcome) => issueBillingKey({}, outcome),
    // The first attempt's own timeout, and a little more.
    deliveryWaitMs: (options.webhookTimeoutMs ?? PORTONE_WEBHOOK_TIMEOUT_MS) + 2_000,
  });

  const controls = {
    advance: (ms: number) => runtime.advance(ms),
    deposit: async (paymentId: string, amount?: number, depositOptions?: SandboxDepositOptions): Promise<Payment> => clone(ledger.deposit(paymentId, amount, depositOptions)),
    nextOutcome(outcome: SandboxOutcome) {
      runtime.windowOutcomes.push(checkOutcome<SandboxOutcome>(outcome, 'nextOutcome', ['approve', 'decline', 'cancel']));
    },
    nextChargeOutcome(outcome: SandboxChargeOutcome) {
      runtime.chargeOutcomes.push(checkOutcome<SandboxChargeOutcome>(outcome, 'nextChargeOutcome', ['approve', 'decline']));
    },
    nextIdentityOutcome(outcome: SandboxIdentityOutcome) {
      runtime.identityOutcomes.push(checkIdentityOutcome(outcome, 'nextIdentityOutcome'));
    },
    setFaults: (faults: SandboxFaults) => runtime.setFaults(validateFaults(faults)),
    setWebhookUrls(urls: string[]) {
      core.emitter.webhookUrls = checkWebhookUrls(urls, 'setWebhookUrls');
    },
    reset: () => core.reset(),
    trigger: triggers.trigger,
    replay: triggers.replay,
  };

  if (snapshot) {
    // The time goes on from where it was (what `advance()` added included), unless `now` says otherwise.
    if (snapshot.clock && options.now === undefined) runtime.clock.restore(snapshot.clock);
    runtime.state.restore(snapshot);
  }

  const { listener, hung } = createRequestListener({ core, auth, checkout, controls, controlToken: credentials.controlToken });
  const server: Server = createServer({ keepAlive: true, keepAliveTimeout: 5_000 }, listener);
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Nothing ran yet; leave the state file to whoever holds the port (it may be the same file).
    core.close({ persist: false });
    throw error;
  }
  if (snapshot) {
    // Only a sandbox that is listening resumes retries, schedules and expiries.
    core.webhooks.restore(snapshot.webhookJobs);
    core.rearm();
  }
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${publicHost}:${port}`;
  runtime.baseUrl = url;
  runtime.persist();
  log(`PortOne sandbox listening on ${url}`);

  let closed: Promise<void> | undefined;
  const sandbox: Sandbox = {
    url,
    sdkUrl: `${url}/v2/browser-sdk.js`,
    dashboardUrl: `${url}/sandbox/#token=${credentials.controlToken}`,
    controlToken: credentials.controlToken,
    storeId: credentials.storeId,
    apiSecret: credentials.apiSecret,
    webhookSecret: webhookSecrets[0]!,
    webhookSecrets,
    channels,
    channelKeys,
    nextOutcome: controls.nextOutcome,
    nextChargeOutcome: controls.nextChargeOutcome,
    nextIdentityOutcome: controls.nextIdentityOutcome,
    now: () => runtime.now(),
    advance: controls.advance,
    deposit: controls.deposit,
    setFaults: controls.setFaults,
    setWebhookUrls: controls.setWebhookUrls,
    webhookDeliveries: () => [...core.webhooks.deliveries()],
    flushWebhooks: () => core.webhooks.flush(),
    payment(paymentId) {
      const json = runtime.state.paymentJsonOf(paymentId);
      return json === undefined ? undefined : (JSON.parse(json) as Payment);
    },
    billingKey(billingKey) {
      const entry = runtime.state.billingKeys.get(billingKey);
      return entry?.info && (entry.status === 'ISSUED' || entry.status === 'DELETED') ? clone(entry.info as BillingKeyInfo) : undefined;
    },
    schedules: () => [...runtime.state.schedules.values()].map((e) => clone(e.schedule)),
    identityVerification(identityVerificationId) {
      const entry = runtime.state.identityVerifications.get(identityVerificationId);
      return entry ? clone(entry.verification) : undefined;
    },
    testPerson(key) {
      if (!isTestPersonKey(key)) throw usageError(new TypeError(`testPerson: expected one of ${TEST_PERSON_KEYS.join(', ')}, got ${JSON.stringify(key)}`));
      return testPersonAt(key, runtime.now());
    },
    reset: controls.reset,
    pay,
    issueBillingKey,
    issueBillingKeyAndPay,
    verifyIdentity,
    trigger: triggers.trigger,
    replay: triggers.replay,
    tail: (listener) => core.webhooks.onDelivery(listener),
    env: () => ({
      PORTONE_API_URL: url,
      PORTONE_STORE_ID: credentials.storeId,
      PORTONE_CHANNEL_KEY: channelKeys.payment,
      PORTONE_BILLING_CHANNEL_KEY: channelKeys.billingKey,
      PORTONE_PHONE_BILLING_CHANNEL_KEY: channelKeys.billingKeyAndPay,
      PORTONE_IDENTITY_CHANNEL_KEY: channelKeys.identityVerification,
      PORTONE_API_SECRET: credentials.apiSecret,
      PORTONE_WEBHOOK_SECRET: webhookSecrets[0]!,
      PORTONE_SDK_URL: `${url}/v2/browser-sdk.js`,
      PORTONE_SANDBOX_TOKEN: credentials.controlToken,
    }),
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
        core.close();
      });
      return closed;
    },
  };
  return sandbox;
}

// One fake `window.PortOne` per page, switchable per test. `@portone/browser-sdk/v2` keeps the
// first `window.PortOne` it sees for the page's lifetime, so tests change the fake's behaviour,
// never the object.
type Fn = 'requestPayment' | 'requestIssueBillingKey' | 'requestIssueBillingKeyAndPay' | 'requestIdentityVerification';

export interface FakeCall {
  fn: Fn;
  request: Record<string, unknown>;
}

/** How the fake answers a call: a value, a rejection, or a promise the test settles later. */
export type Responder = (call: FakeCall) => unknown;

const defaultResponder: Responder = ({ fn, request }) => {
  if (fn === 'requestPayment') return { transactionType: 'PAYMENT', paymentId: request.paymentId, txId: 'tx-1' };
  if (fn === 'requestIssueBillingKey') return { transactionType: 'ISSUE_BILLING_KEY', billingKey: 'billing-key-1' };
  if (fn === 'requestIdentityVerification') return { transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: request.identityVerificationId, identityVerificationTxId: 'iv-tx-1' };
  return { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: request.paymentId, txId: 'tx-2', billingKey: 'billing-key-2' };
};

export const fake = {
  calls: [] as FakeCall[],
  respond: defaultResponder,
  reset() {
    this.calls = [];
    this.respond = defaultResponder;
  },
};

/** Puts the fake on `window.PortOne` (once per page). */
export function installFakePortOne(): void {
  if (window.PortOne) return;
  const call = (fn: Fn) => async (request: Record<string, unknown>) => {
    const entry = { fn, request: structuredClone(request) };
    fake.calls.push(entry);
    return fake.respond(entry);
  };
  window.PortOne = {
    requestPayment: call('requestPayment'),
    requestIssueBillingKey: call('requestIssueBillingKey'),
    requestIssueBillingKeyAndPay: call('requestIssueBillingKeyAndPay'),
    requestIdentityVerification: call('requestIdentityVerification'),
  } as unknown as NonNullable<typeof window.PortOne>;
}

/** A PortOne error object as the SDK rejects with (recognised by `__portOneErrorType`; a `PaymentError` unless told). */
export function portOneError(fields: { code: string; message: string; pgCode?: string; pgMessage?: string }, type = ['PaymentError', 'PAYMENT']) {
  return Object.assign(new Error(fields.message), { __portOneErrorType: type[0], transactionType: type[1], ...fields });
}

/** A promise the test resolves when it wants the window to close. */
export function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

// @portone/browser-sdk/v2 itself, pointed at the sandbox with __INTERNAL__setPortOneSdkUrl, in
// real Chromium: every window outcome through the iframe overlay, and the SDK's error classes for
// rejections before the window. (The redirect path leaves the page: see window.test.ts.)
import { expect } from '@open-wc/testing';
import * as PortOne from '@portone/browser-sdk/v2';
import { isShopperCancel } from '../../src/contract.js';
import { startSandbox, type BrowserSandbox } from './browser-support.js';

let sandbox: BrowserSandbox;
const customer = { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'buyer@example.com' };
let counter = 0;
const paymentId = () => `browser-${Date.now()}-${++counter}`;

before(async () => {
  sandbox = await startSandbox();
  PortOne.__INTERNAL__setPortOneSdkUrl(sandbox.sdkUrl);
});

afterEach(() => document.documentElement.removeAttribute('data-portone-sandbox-outcome'));

const request = (extra: Partial<PortOne.PaymentRequest> = {}): PortOne.PaymentRequest => ({
  storeId: sandbox.storeId,
  channelKey: sandbox.channelKeys.payment,
  paymentId: paymentId(),
  orderName: '브라우저 테스트 주문',
  totalAmount: 15_000,
  currency: 'KRW',
  payMethod: 'CARD',
  customer,
  ...extra,
});

describe('requestPayment through the sandbox', () => {
  it('loads the sandbox runtime as window.PortOne and approves in an iframe overlay', async () => {
    await sandbox.nextOutcome({ result: 'approve', cardCompany: '14' });
    const req = request();
    const pending = PortOne.requestPayment(req);
    const response = await pending;
    expect(response).to.deep.equal({ transactionType: 'PAYMENT', txId: response!.txId, paymentId: req.paymentId });
    expect(window.PortOne).to.exist;
    expect(document.querySelector('[data-portone-sandbox]')).to.equal(null);
    const payment = (await sandbox.payment(req.paymentId)) as { status: string; transactionId: string; method: { card: { publisher: string } } };
    expect(payment.status).to.equal('PAID');
    expect(payment.transactionId).to.equal(response!.txId);
    expect(payment.method.card.publisher).to.equal('신한카드');
  });

  it('shows the window as an iframe while it is open', async () => {
    await sandbox.nextOutcome({ result: 'approve' });
    const pending = PortOne.requestPayment(request());
    await waitFor(() => document.querySelector('iframe[data-portone-sandbox="window"]'));
    const iframe = document.querySelector<HTMLIFrameElement>('iframe[data-portone-sandbox="window"]')!;
    expect(new URL(iframe.src).origin).to.equal(new URL(sandbox.url).origin);
    expect(iframe.title).to.contain('KG이니시스');
    await pending;
  });

  it('resolves a decline with FAILURE_TYPE_PG, pgCode and pgMessage', async () => {
    await sandbox.nextOutcome({ result: 'decline', pgCode: 'V031' });
    const req = request();
    const response = await PortOne.requestPayment(req);
    expect(response!.code).to.equal('FAILURE_TYPE_PG');
    expect(response!.pgCode).to.equal('V031');
    expect(response!.pgMessage).to.equal('비밀번호 오류 횟수를 초과했습니다.');
    expect(((await sandbox.payment(req.paymentId)) as { status: string }).status).to.equal('FAILED');
  });

  it('resolves a shopper cancel with a message isShopperCancel recognises', async () => {
    await sandbox.nextOutcome({ result: 'cancel' });
    const response = await PortOne.requestPayment(request());
    expect(response!.code).to.equal('FAILURE_TYPE_PG');
    expect(isShopperCancel(response!)).to.equal(true);
  });

  it('takes a scripted outcome from the page attribute', async () => {
    document.documentElement.setAttribute('data-portone-sandbox-outcome', 'decline:V013');
    const response = await PortOne.requestPayment(request());
    expect(response!.pgCode).to.equal('V013');
  });

  it('issues a virtual account (success) that a deposit later pays', async () => {
    await sandbox.nextOutcome({ result: 'approve', bank: 'SHINHAN' });
    const req = request({ payMethod: 'VIRTUAL_ACCOUNT', totalAmount: 42_000 });
    const response = await PortOne.requestPayment(req);
    expect(response!.code).to.equal(undefined);
    const issued = (await sandbox.payment(req.paymentId)) as { status: string; method: { type: string; bank: string } };
    expect(issued.status).to.equal('VIRTUAL_ACCOUNT_ISSUED');
    expect(issued.method.bank).to.equal('SHINHAN');
    expect((await sandbox.deposit(req.paymentId)).status).to.equal('PAID');
  });

  it('pays by transfer, mobile phone and easy pay', async () => {
    for (const [extra, outcome] of [
      [{ payMethod: 'TRANSFER' }, { result: 'approve', bank: 'HANA' }],
      [{ payMethod: 'MOBILE', productType: 'DIGITAL' }, { result: 'approve', carrier: 'LGU' }],
      [{ payMethod: 'EASY_PAY', easyPay: { easyPayProvider: 'TOSSPAY' } }, { result: 'approve' }],
    ] as const) {
      await sandbox.nextOutcome(outcome);
      const req = request(extra as Partial<PortOne.PaymentRequest>);
      const response = await PortOne.requestPayment(req);
      expect(response!.code, extra.payMethod).to.equal(undefined);
      expect(((await sandbox.payment(req.paymentId)) as { status: string }).status).to.equal('PAID');
    }
  });

  it('rejects before the window with the SDK error classes (instanceof works through __portOneErrorType)', async () => {
    let error: unknown;
    try {
      await PortOne.requestPayment(request({ channelKey: 'channel-key-nope' }));
    } catch (e) {
      error = e;
    }
    expect(error instanceof PortOne.PaymentError).to.equal(true);
    expect(PortOne.isPaymentError(error)).to.equal(true);
    expect((error as PortOne.PaymentError).code).to.equal('ChannelNotFound');

    try {
      await PortOne.requestPayment(request({ customer: { fullName: '홍길동' } }));
      expect.fail('resolved');
    } catch (e) {
      expect((e as PortOne.PaymentError).code).to.equal('BadRequest');
      expect((e as Error).message).to.contain('customer.phoneNumber');
    }
    expect(document.querySelector('[data-portone-sandbox]')).to.equal(null);
  });

  it('rejects a window whose amount differs from the pre-registered one (AmountNotEqualToPredefined)', async () => {
    const req = request({ totalAmount: 100 });
    const response = await sandbox.rest('POST', `/payments/${encodeURIComponent(req.paymentId)}/pre-register`, { totalAmount: 15_000, currency: 'KRW' });
    expect(response).to.deep.equal({ status: 200, body: {} });
    try {
      await PortOne.requestPayment(req);
      expect.fail('resolved');
    } catch (e) {
      expect(e instanceof PortOne.PaymentError).to.equal(true);
      expect((e as PortOne.PaymentError).code).to.equal('AmountNotEqualToPredefined');
      expect((e as PortOne.PaymentError).paymentId).to.equal(req.paymentId);
    }
  });
});

describe('requestIssueBillingKey and requestIssueBillingKeyAndPay through the sandbox', () => {
  it('issues a card billing key', async () => {
    await sandbox.nextOutcome({ result: 'approve' });
    const response = await PortOne.requestIssueBillingKey({
      storeId: sandbox.storeId,
      channelKey: sandbox.channelKeys.billingKey,
      billingKeyMethod: 'CARD',
      issueId: `issue-${Date.now()}`,
      issueName: '월간 구독',
      customer,
    });
    expect(response!.transactionType).to.equal('ISSUE_BILLING_KEY');
    expect(response!.code).to.equal(undefined);
    expect(((await sandbox.billingKey(response!.billingKey)) as { status: string }).status).to.equal('ISSUED');
  });

  it('rejects a non-card billing key method with IssueBillingKeyError', async () => {
    try {
      await PortOne.requestIssueBillingKey({ storeId: sandbox.storeId, channelKey: sandbox.channelKeys.billingKey, billingKeyMethod: 'EASY_PAY', issueId: 'x', issueName: 'x', customer });
      expect.fail('resolved');
    } catch (e) {
      expect(e instanceof PortOne.IssueBillingKeyError).to.equal(true);
      expect((e as PortOne.IssueBillingKeyError).code).to.equal('BadRequest');
    }
  });

  it('issues a phone billing key and pays with it; a cancel fails both', async () => {
    await sandbox.nextOutcome({ result: 'approve' });
    const id = paymentId();
    const response = await PortOne.requestIssueBillingKeyAndPay({
      storeId: sandbox.storeId,
      channelKey: sandbox.channelKeys.billingKeyAndPay,
      billingKeyAndPayMethod: 'MOBILE',
      paymentId: id,
      orderName: '휴대폰 정기결제',
      totalAmount: 9_900,
      currency: 'KRW',
      productType: 'DIGITAL',
      customer,
    });
    expect(response.transactionType).to.equal('ISSUE_BILLING_KEY_AND_PAY');
    expect(response.paymentId).to.equal(id);
    expect(((await sandbox.payment(id)) as { billingKey: string }).billingKey).to.equal(response.billingKey);

    await sandbox.nextOutcome({ result: 'cancel' });
    const cancelled = await PortOne.requestIssueBillingKeyAndPay({
      storeId: sandbox.storeId,
      channelKey: sandbox.channelKeys.billingKeyAndPay,
      billingKeyAndPayMethod: 'MOBILE',
      paymentId: paymentId(),
      orderName: '휴대폰 정기결제',
      totalAmount: 9_900,
      currency: 'KRW',
      productType: 'DIGITAL',
      customer,
    });
    expect(isShopperCancel(cancelled)).to.equal(true);
  });
});

describe('requestIdentityVerification through the sandbox (KG Inicis 통합인증)', () => {
  const identity = (extra: Partial<PortOne.IdentityVerificationRequest> = {}): PortOne.IdentityVerificationRequest => ({
    storeId: sandbox.storeId,
    channelKey: sandbox.channelKeys.identityVerification,
    identityVerificationId: `browser-iv-${Date.now()}-${++counter}`,
    bypass: { inicisUnified: { flgFixedUser: 'N' } },
    ...extra,
  });

  it('verifies the scripted test person in an iframe overlay; the sandbox holds them as VERIFIED', async () => {
    await sandbox.nextIdentityOutcome({ result: 'approve', person: 'minor' });
    const req = identity({ customer: { customerId: 'member-9' } });
    const pending = PortOne.requestIdentityVerification(req);
    await waitFor(() => document.querySelector('iframe[data-portone-sandbox="window"]'));
    const response = await pending;
    expect(response).to.deep.equal({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: req.identityVerificationId, identityVerificationTxId: response!.identityVerificationTxId });
    const verified = (await sandbox.identityVerification(req.identityVerificationId)) as { status: string; verifiedCustomer: { id: string; name: string; birthDate: string } };
    const minor = await sandbox.testPerson('minor');
    expect(verified.status).to.equal('VERIFIED');
    expect(verified.verifiedCustomer).to.include({ id: 'member-9', name: minor.name, birthDate: minor.birthDate });
  });

  it('resolves a cancel (isShopperCancel) and a failure; rejects a verified id with IdentityVerificationError', async () => {
    await sandbox.nextIdentityOutcome({ result: 'cancel' });
    expect(isShopperCancel((await PortOne.requestIdentityVerification(identity()))!)).to.equal(true);
    document.documentElement.setAttribute('data-portone-sandbox-outcome', 'fail:I102');
    expect((await PortOne.requestIdentityVerification(identity()))!.pgCode).to.equal('I102');
    document.documentElement.removeAttribute('data-portone-sandbox-outcome');
    const req = identity();
    await sandbox.nextIdentityOutcome({ result: 'approve' });
    await PortOne.requestIdentityVerification(req);
    const error = await PortOne.requestIdentityVerification(req).then(() => undefined, (e: unknown) => e);
    expect(PortOne.isIdentityVerificationError(error)).to.equal(true);
    expect((error as PortOne.IdentityVerificationError).code).to.equal('IdentityVerificationAlreadyVerified');
  });
});

async function waitFor<T>(find: () => T | null | undefined, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// The checkout server behind the payment window, driven from Node (`sandbox.pay` & co. take the
// same prepare → complete path as the window): every method and outcome, PortOne's pre-window
// rejections as the browser SDK's error classes, and KG Inicis's rules and bypass options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IssueBillingKeyAndPayError, IssueBillingKeyError, PaymentError } from '@portone/browser-sdk/v2';
import type { FailedPayment, PaidPayment, VirtualAccountIssuedPayment } from '@portone/server-sdk/payment';
import { isShopperCancel } from '../../src/contract.js';
import { CARD_COMPANIES, DECLINES, DESKTOP_USER_AGENT, MOBILE_USER_AGENT, INICIS_RULES, SANDBOX_CUSTOMER, SDK_CARD_CODES, SHOPPER_CANCEL_MESSAGE, SHOPPER_CANCEL_MESSAGE_EN, TEST_CARDS, parseOutcome, withResultQuery, type SandboxOutcome, type SandboxPaymentRequest } from '../../src/sandbox/index.js';
import { clientFor, paymentOf, rejection, startReceiver, succeeded, verifyAll, webhookTypes, withSandbox } from './support.js';

const mobile = { device: 'mobile' as const };

test('approve, for every KG Inicis method: the response has no code and the payment says how it was paid', async (t) => {
  const sandbox = await withSandbox(t);
  const cases: [SandboxPaymentRequest['payMethod'], Partial<SandboxPaymentRequest>, string][] = [
    ['CARD', {}, 'PaymentMethodCard'],
    ['TRANSFER', {}, 'PaymentMethodTransfer'],
    ['MOBILE', { productType: 'DIGITAL' }, 'PaymentMethodMobile'],
    ['EASY_PAY', { easyPay: { easyPayProvider: 'NAVERPAY' } }, 'PaymentMethodEasyPay'],
    ['GIFT_CERTIFICATE', {}, 'PaymentMethodGiftCertificate'],
  ];
  for (const [payMethod, extra, type] of cases) {
    const response = await sandbox.pay({ paymentId: `m-${payMethod}`, totalAmount: 15_000, payMethod, ...extra });
    assert.deepEqual(Object.keys(response).sort(), ['paymentId', 'transactionType', 'txId']);
    const payment = sandbox.payment(`m-${payMethod}`) as PaidPayment;
    assert.equal(payment.status, 'PAID', payMethod);
    assert.equal(payment.method?.type, type);
    assert.equal(payment.transactionId, response.txId);
  }
  const easy = sandbox.payment('m-EASY_PAY') as PaidPayment;
  assert.equal(easy.method?.type === 'PaymentMethodEasyPay' && easy.method.provider, 'NAVERPAY');
  const transfer = await sandbox.pay({ paymentId: 'm-bank', totalAmount: 15_000, payMethod: 'TRANSFER' }, { result: 'approve', bank: 'HANA' });
  assert.ok(transfer.txId);
  const bank = sandbox.payment('m-bank') as PaidPayment;
  assert.equal(bank.method?.type === 'PaymentMethodTransfer' && bank.method.bank, 'HANA');
  const installment = await sandbox.pay({ paymentId: 'm-inst', totalAmount: 120_000 }, { result: 'approve', cardCompany: '12', installmentMonth: 3, cardType: 'CORPORATE' });
  assert.ok(installment.txId);
  const card = sandbox.payment('m-inst') as PaidPayment;
  assert.deepEqual(card.method?.type === 'PaymentMethodCard' && [card.method.card?.publisher, card.method.installment?.month, card.method.card?.ownerType], ['삼성카드', 3, 'CORPORATE']);
  const small = await sandbox.pay({ paymentId: 'm-inst-small', totalAmount: 30_000 }, { result: 'approve', installmentMonth: 3 });
  assert.equal(small.pgCode, 'V110', 'no installments under 50,000 KRW');
});

test('virtual account: issued now (success response), deposited later by sandbox.deposit, or expired by the clock', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { clock: 'manual', now: Date.parse('2026-05-01T00:00:00Z'), webhookUrls: [receiver.url] });
  const response = await sandbox.pay({ paymentId: 'va-1', totalAmount: 33_000, payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 2 } } }, { result: 'approve', bank: 'KOOKMIN' });
  assert.equal(response.code, undefined);
  const issued = sandbox.payment('va-1') as VirtualAccountIssuedPayment;
  assert.equal(issued.status, 'VIRTUAL_ACCOUNT_ISSUED');
  assert.ok(issued.method?.type === 'PaymentMethodVirtualAccount');
  if (issued.method?.type === 'PaymentMethodVirtualAccount') {
    assert.equal(issued.method.bank, 'KOOKMIN');
    assert.match(issued.method.accountNumber, /^\d{12}$/);
    assert.equal(issued.method.expiredAt, '2026-05-01T02:00:00.000Z');
    assert.equal(issued.method.remitterName, '홍길동');
  }
  await sandbox.advance(3_600_000);
  const before = JSON.stringify(sandbox.payment('va-1'));
  await assert.rejects(sandbox.deposit('va-1', 40_000), /expects 33000 KRW, got 40000: a deposit never exceeds the total/);
  await assert.rejects(sandbox.deposit('va-1', 30_000), /expects 33000 KRW, got 30000; the account stays VIRTUAL_ACCOUNT_ISSUED/);
  await assert.rejects(sandbox.deposit('va-1', 40_000, { partial: true }), /never exceeds/);
  await assert.rejects(sandbox.deposit('va-1', 33_000, null as never), /expected options as an object like \{ partial: true \}, got null/);
  await assert.rejects(sandbox.deposit('va-1', 30_000, { partial: 'yes' as never }), /expected options.partial to be true or false, got "yes"/);
  assert.equal(JSON.stringify(sandbox.payment('va-1')), before, 'a refused deposit changes nothing');
  const paid = await sandbox.deposit('va-1', 33_000);
  assert.equal(paid.status, 'PAID');
  assert.equal(paid.status === 'PAID' && paid.amount.paid, 33_000);
  await assert.rejects(sandbox.deposit('va-1'), /PAID, not a VIRTUAL_ACCOUNT_ISSUED/);

  // Emulating a PG that reports a short deposit as PAID: what a shop's verification must catch.
  await sandbox.pay({ paymentId: 'va-short', totalAmount: 33_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const short = await sandbox.deposit('va-short', 30_000, { partial: true });
  assert.equal(short.status, 'PAID');
  assert.deepEqual(short.status === 'PAID' && [short.amount.paid, short.amount.total], [30_000, 33_000]);
  const { cancellation } = await clientFor(sandbox).payment.cancelPayment({ paymentId: 'va-short', reason: '환불', refundAccount: { bank: 'SHINHAN', number: '110123456789', holderName: '홍길동' } });
  assert.equal(succeeded(cancellation).totalAmount, 30_000, 'a refund returns what was paid, never more');

  await sandbox.pay({ paymentId: 'va-2', totalAmount: 10_000, payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 1 } } });
  await sandbox.advance(3_600_000);
  assert.equal(sandbox.payment('va-2')!.status, 'VIRTUAL_ACCOUNT_ISSUED', 'a deposit at the deadline still counts');
  await sandbox.advance(1);
  const expired = sandbox.payment('va-2') as FailedPayment;
  assert.equal(expired.status, 'FAILED');
  assert.match(expired.failure.reason!, /입금기한/);
  await assert.rejects(sandbox.deposit('va-2'), /FAILED/);
  await assert.rejects(sandbox.deposit('nope'), /does not exist/);

  await sandbox.flushWebhooks();
  await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(webhookTypes(receiver.received), [
    'Transaction.Ready', 'Transaction.VirtualAccountIssued', 'Transaction.Paid',
    'Transaction.Ready', 'Transaction.VirtualAccountIssued', 'Transaction.Paid', 'Transaction.Cancelled',
    'Transaction.Ready', 'Transaction.VirtualAccountIssued', 'Transaction.Failed',
  ]);
  assert.equal(paymentOf(sandbox, 'va-1').webhooks!.find((w) => w.paymentStatus === 'PAID')!.trigger, 'VIRTUAL_ACCOUNT_DEPOSIT');
});

test('storeName: the window shows the shop as 상점 (a phone shows P_MNAME when set), virtual accounts are in its name', async (t) => {
  const windowStore = async (sandbox: Awaited<ReturnType<typeof withSandbox>>, request: Record<string, unknown>, userAgent: string) => {
    const prepared = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transactionType: 'PAYMENT', request: { storeId: sandbox.storeId, channelKey: sandbox.channelKeys.payment, orderName: '원두', totalAmount: 15_000, currency: 'KRW', payMethod: 'CARD', customer: { fullName: '김하나', phoneNumber: '010-1234-5678', email: 'hana@example.com' }, ...request }, client: { userAgent } }),
    });
    assert.equal(prepared.status, 200, await prepared.clone().text());
    const html = await (await fetch(new URL((await prepared.json()).windowUrl, sandbox.url))).text();
    return /<dd data-field="store">([^<]*)<\/dd>/.exec(html)?.[1];
  };
  const pc = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0';
  const phone = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/140.0 Mobile Safari/537.36';
  const named = await withSandbox(t, { storeName: '달빛 커피 로스터스' });
  assert.equal(await windowStore(named, { paymentId: 's-pc' }, pc), '달빛 커피 로스터스');
  assert.equal(await windowStore(named, { paymentId: 's-phone', redirectUrl: 'https://shop.test/return' }, phone), '달빛 커피 로스터스');
  assert.equal(await windowStore(named, { paymentId: 's-mname', redirectUrl: 'https://shop.test/return', bypass: { inicis_v2: { P_MNAME: '달빛 모바일' } } }, phone), '달빛 모바일');
  await named.pay({ paymentId: 's-va', totalAmount: 15_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const va = named.payment('s-va') as VirtualAccountIssuedPayment;
  assert.equal(va.method?.type === 'PaymentMethodVirtualAccount' && va.method.remitteeName, '달빛 커피 로스터스');
  // Without the option: PortOne's test store, as before.
  assert.equal(await windowStore(await withSandbox(t), { paymentId: 's-default' }, pc), '포트원 샌드박스 상점');
  await assert.rejects(withSandbox(t, { storeName: ' ' }), /storeName: expected 1–100 characters without control characters, got " "/);
});

test('decline: FAILURE_TYPE_PG with KG Inicis-style pgCode/pgMessage; the payment is FAILED with that failure', async (t) => {
  const sandbox = await withSandbox(t);
  const declined = await sandbox.pay({ paymentId: 'd-1', totalAmount: 5_000 }, { result: 'decline' });
  assert.deepEqual(declined, {
    transactionType: 'PAYMENT',
    txId: declined.txId,
    paymentId: 'd-1',
    code: 'FAILURE_TYPE_PG',
    message: '[V005] 카드 한도가 초과되었습니다.',
    pgCode: 'V005',
    pgMessage: '카드 한도가 초과되었습니다.',
  });
  assert.equal(isShopperCancel(declined), false);
  const failed = sandbox.payment('d-1') as FailedPayment;
  assert.deepEqual(failed.failure, { reason: '카드 한도가 초과되었습니다.', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  const custom = await sandbox.pay({ paymentId: 'd-2', totalAmount: 5_000, payMethod: 'MOBILE', productType: 'REAL' }, { result: 'decline', pgCode: 'M105' });
  assert.equal(custom.pgCode, 'M105');
  assert.equal(custom.pgMessage, '휴대폰 소액결제 월 이용한도를 초과했습니다.', 'the default message of the mobile decline list');
});

/** `isShopperCancel` as the elements narrow it: the user cancelled, not any message with 취소 in it. */
const SHOPPER_CANCEL = /사용자.*취소|cancel(l)?ed by (the )?user/i;

test('shopper cancel: FAILURE_TYPE_PG saying the user cancelled (Korean, English for EN_US); no decline says so', async (t) => {
  const sandbox = await withSandbox(t);
  const cancelled = await sandbox.pay({ paymentId: 'x-1', totalAmount: 5_000 }, { result: 'cancel' });
  assert.equal(cancelled.code, 'FAILURE_TYPE_PG');
  assert.equal(cancelled.message, '사용자가 결제를 취소하였습니다.');
  assert.equal(cancelled.pgCode, undefined);
  assert.equal(isShopperCancel(cancelled), true);
  assert.equal((sandbox.payment('x-1') as FailedPayment).failure.reason, '사용자가 결제를 취소하였습니다.');
  const english = await sandbox.pay({ paymentId: 'x-en', totalAmount: 5_000, locale: 'EN_US' }, { result: 'cancel' });
  assert.equal(english.message, 'Payment cancelled by the user.');
  assert.equal(isShopperCancel(english), true);
  for (const message of [cancelled.message!, english.message!, SHOPPER_CANCEL_MESSAGE, SHOPPER_CANCEL_MESSAGE_EN]) assert.match(message, SHOPPER_CANCEL);
  const declines = [...Object.values(DECLINES).flat(), ...Object.values(TEST_CARDS).map((c) => c.decline), ...Object.values(INICIS_RULES)];
  for (const { pgCode, pgMessage } of declines) assert.doesNotMatch(`[${pgCode}] ${pgMessage}`, SHOPPER_CANCEL, 'a PG decline is never read as a shopper cancel');
  for (const code of ['V117', 'B021', 'B022', 'A103', 'V110', 'E002']) {
    assert.doesNotMatch((await sandbox.pay({ paymentId: `x-d-${code}`, totalAmount: 5_000 }, { result: 'decline', pgCode: code })).message!, SHOPPER_CANCEL);
  }
  const retry = await sandbox.pay({ paymentId: 'x-1', totalAmount: 5_000 });
  assert.notEqual(retry.txId, cancelled.txId, 'a new attempt for the same paymentId');
  assert.equal(sandbox.payment('x-1')!.status, 'PAID');
  const paidTwice = await rejection(sandbox.pay({ paymentId: 'x-1', totalAmount: 5_000 }));
  assert.ok(paidTwice instanceof PaymentError);
  assert.equal(paidTwice.code, 'PaymentAlreadyPaid');
  assert.equal(paidTwice.paymentId, 'x-1');
});

test('nextOutcome queues how windows end, oldest first; an explicit outcome does not consume the queue', async (t) => {
  const sandbox = await withSandbox(t);
  sandbox.nextOutcome({ result: 'decline', pgCode: 'V013' });
  sandbox.nextOutcome({ result: 'cancel' });
  assert.equal((await sandbox.pay({ paymentId: 'q-0', totalAmount: 1_000 }, { result: 'approve' })).code, undefined);
  assert.equal((await sandbox.pay({ paymentId: 'q-1', totalAmount: 1_000 })).pgCode, 'V013');
  assert.equal(isShopperCancel(await sandbox.pay({ paymentId: 'q-2', totalAmount: 1_000 })), true);
  assert.equal((await sandbox.pay({ paymentId: 'q-3', totalAmount: 1_000 })).code, undefined, 'the queue is empty: approve');
  assert.throws(() => sandbox.nextOutcome({ result: 'maybe' } as never), /nextOutcome: expected \{ result: 'approve' \| 'decline' \| 'cancel' \}/);
});

test('pre-register: a window with another amount or currency fails with AmountNotEqualToPredefined', async (t) => {
  const sandbox = await withSandbox(t);
  await fetch(`${sandbox.url}/payments/pre-1/pre-register`, { method: 'POST', headers: { authorization: `PortOne ${sandbox.apiSecret}` }, body: JSON.stringify({ totalAmount: 50_000, currency: 'KRW' }) });
  const tampered = await rejection(sandbox.pay({ paymentId: 'pre-1', totalAmount: 100 }));
  assert.ok(tampered instanceof PaymentError);
  assert.equal(tampered.__portOneErrorType, 'PaymentError');
  assert.equal(tampered.code, 'AmountNotEqualToPredefined');
  assert.match(tampered.message, /totalAmount 100 ≠ pre-registered 50000/);
  assert.equal(sandbox.payment('pre-1'), undefined, 'nothing was opened');
  assert.equal((await sandbox.pay({ paymentId: 'pre-1', totalAmount: 50_000 })).code, undefined);
});

test('PortOne rejects before the window: unknown store or channel, missing or malformed fields; KG Inicis rules carry a pgCode', async (t) => {
  const sandbox = await withSandbox(t);
  // [request change, SDK error code, message, pgCode: set for KG Inicis's own rules, absent for PortOne's checks]
  const cases: [Partial<SandboxPaymentRequest> & Record<string, unknown>, string, RegExp, string?][] = [
    [{ storeId: 'store-other' }, 'StoreNotFound', /store-other/],
    [{ channelKey: 'channel-key-other' }, 'ChannelNotFound', /channel-key-other/],
    [{ orderName: '' }, 'BadRequest', /orderName/],
    [{ totalAmount: 10.5 }, 'BadRequest', /`totalAmount`: expected a positive integer, got 10\.5/],
    [{ currency: 'JPY' as 'KRW' }, 'BadRequest', /expected KRW or USD, got "JPY"/, 'R102'],
    [{ currency: 'USD', payMethod: 'TRANSFER' }, 'BadRequest', /expected KRW, got "USD"/, 'R102'],
    [{ currency: 'CURRENCY_KRW' }, '', /./],
    [{ payMethod: 'PAYPAL' }, 'BadRequest', /지원하지 않는 결제수단입니다\. \(PAYPAL\)/, 'R108'],
    [{ payMethod: 'BITCOIN' as 'CARD' }, 'BadRequest', /`payMethod`: expected one of CARD/],
    [{ paymentId: '주문-1' }, 'BadRequest', /ASCII/, 'R101'],
    [{ customer: { phoneNumber: '010', email: 'a@b.c' } }, 'BadRequest', /customer\.fullName/, 'R103'],
    [{ customer: { fullName: '가나다라마바사아자차카', phoneNumber: '010', email: 'a@b.c' } }, 'BadRequest', /30바이트.*`customer\.fullName`: expected at most 30 bytes of UTF-8, got 33/, 'R104'],
    [{ customer: { lastName: '남궁', firstName: '가나다라마바사아', phoneNumber: '010', email: 'a@b.c' } }, 'BadRequest', /customer\.lastName.*got 31/, 'R104'],
    [{ customer: { fullName: '가나다라마바사아자차', phoneNumber: '010', email: 'a@b.c' } }, '', /./],
    [{ customer: { fullName: '홍길동', email: 'a@b.c' } }, 'BadRequest', /\(PC\).*customer\.phoneNumber/, 'R105'],
    [{ customer: { fullName: '홍길동', phoneNumber: '010' } }, 'BadRequest', /customer\.email/, 'R106'],
    [{ payMethod: 'MOBILE' }, 'BadRequest', /productType/, 'R109'],
    [{ windowType: { pc: 'POPUP' } }, 'BadRequest', /IFRAME, REDIRECTION만/, 'R107'],
    [{ windowType: { pc: 'REDIRECTION' } }, 'BadRequest', /redirectUrl/],
    [{ forceRedirect: true }, '', /./],
    [{ redirectUrl: 'javascript:alert(1)' }, 'BadRequest', /`redirectUrl`: expected an http/],
    [{ taxFreeAmount: 900, vatAmount: 200 }, 'BadRequest', /taxFreeAmount/],
    [{ card: { installment: { monthOption: { availableMonthList: [2, 3] } } } }, 'BadRequest', /fixedMonth/, 'R115'],
    [{ card: { cardCompany: 'TOSS_BANK' } }, 'BadRequest', /every card company but TOSS_BANK/, 'R116'],
    [{ card: { cardCompany: 'CARD_COMPANY_TOSS_BANK' } }, 'BadRequest', /TOSS_BANK/, 'R116'],
    [{ card: { cardCompany: 'PLASTIC_CARD' as 'BC_CARD' } }, 'BadRequest', /`card\.cardCompany`: expected one of/],
    [{ easyPay: { easyPayProvider: 'CHAI' } }, 'BadRequest', /easyPay\.easyPayProvider/],
    [{ offerPeriod: { interval: 'monthly' } }, 'BadRequest', /offerPeriod\.interval/],
    [{ bypass: { inicis_v2: { acceptmethod: ['SKIN(red)'] } } }, 'BadRequest', /SKIN/, 'R123'],
  ];
  for (const [extra, code, message, pgCode] of cases) {
    const attempt = sandbox.pay({ paymentId: `r-${code}-${JSON.stringify(extra).length}`, totalAmount: 1_000, ...extra } as SandboxPaymentRequest);
    if (!code) {
      assert.equal((await attempt).code, undefined, JSON.stringify(extra));
      continue;
    }
    const error = await rejection(attempt);
    assert.ok(error instanceof PaymentError, JSON.stringify(extra));
    assert.equal(error.code, code, JSON.stringify(extra));
    assert.match(error.message, message, JSON.stringify(extra));
    assert.equal(error.pgCode, pgCode, JSON.stringify(extra));
    if (pgCode) {
      assert.ok(error.pgMessage && error.message.includes(`[${pgCode}] ${error.pgMessage}`), `${JSON.stringify(extra)}: message names the PG code and message`);
    }
  }
  const none = await rejection(sandbox.pay(undefined as never));
  assert.ok(none instanceof PaymentError);
  assert.equal(new Set(Object.values(INICIS_RULES).map((r) => r.pgCode)).size, Object.keys(INICIS_RULES).length, 'one code per rule');
});

test('forceRedirect without redirectUrl: the result comes by the promise, for every request type (SDK: "redirectUrl이 없으면 기존처럼 프로미스로 반환합니다")', async (t) => {
  const sandbox = await withSandbox(t);
  const { storeId, channelKeys } = sandbox;
  const customer = SANDBOX_CUSTOMER;
  const requests = {
    PAYMENT: (id: string) => ({ storeId, channelKey: channelKeys.payment, paymentId: id, orderName: '주문', totalAmount: 5_000, currency: 'KRW', payMethod: 'CARD', customer }),
    ISSUE_BILLING_KEY: (id: string) => ({ storeId, channelKey: channelKeys.billingKey, billingKeyMethod: 'CARD', issueId: id, issueName: '구독', customer, offerPeriod: { interval: '1m' } }),
    ISSUE_BILLING_KEY_AND_PAY: (id: string) => ({ storeId, channelKey: channelKeys.billingKeyAndPay, billingKeyAndPayMethod: 'MOBILE', paymentId: id, orderName: '구독', totalAmount: 9_900, currency: 'KRW', productType: 'DIGITAL', customer, offerPeriod: { interval: '1m' } }),
    IDENTITY_VERIFICATION: (id: string) => ({ storeId, channelKey: channelKeys.identityVerification, identityVerificationId: id, bypass: { inicisUnified: { flgFixedUser: 'N' } } }),
  };
  const prepare = async (transactionType: string, request: object, userAgent = DESKTOP_USER_AGENT) => {
    const response = await fetch(`${sandbox.url}/checkout/prepare`, { method: 'POST', body: JSON.stringify({ transactionType, request, client: { userAgent } }) });
    return { status: response.status, answer: (await response.json()) as { txId: string; mode: string; code?: string; message?: string } };
  };
  const complete = async (txId: string) => {
    const response = await fetch(`${sandbox.url}/checkout/transactions/${txId}/complete`, { method: 'POST', body: JSON.stringify({ action: { result: 'approve' } }) });
    return (await response.json()) as { response: { code?: string }; redirectTo?: string };
  };
  for (const [kind, request] of Object.entries(requests)) {
    // Alone, forceRedirect changes nothing: the window opens as usual and the promise gets the result.
    const alone = await prepare(kind, { ...request(`force-${kind}`), forceRedirect: true });
    assert.deepEqual([alone.status, alone.answer.mode], [200, 'IFRAME'], `${kind}: ${alone.answer.message}`);
    const done = await complete(alone.answer.txId);
    assert.deepEqual([done.response.code, done.redirectTo], [undefined, undefined], kind);
    // With a redirectUrl it does what it says: the result comes back in the redirect's query.
    const withUrl = await prepare(kind, { ...request(`force-url-${kind}`), forceRedirect: true, redirectUrl: 'https://shop.example/return' });
    assert.deepEqual([withUrl.status, withUrl.answer.mode], [200, 'REDIRECTION'], kind);
    assert.match((await complete(withUrl.answer.txId)).redirectTo ?? '', /^https:\/\/shop\.example\/return\?.*transactionType=/, kind);
    // A phone's window always redirects: there, a redirectUrl is still required, forceRedirect or not.
    const phone = await prepare(kind, { ...request(`force-phone-${kind}`), forceRedirect: true }, MOBILE_USER_AGENT);
    assert.deepEqual([phone.status, phone.answer.code], [400, 'BadRequest'], kind);
    assert.match(phone.answer.message ?? '', /redirectUrl 파라미터가 필수입니다/, kind);
  }
});

test('card direct call: every browser SDK card company but Toss Bank opens the window with that card, locked', async (t) => {
  const sandbox = await withSandbox(t);
  const companies = Object.keys(SDK_CARD_CODES) as (keyof typeof SDK_CARD_CODES)[];
  assert.ok(companies.includes('KAKAO_BANK') && companies.includes('JEONBUK_CARD') && companies.includes('MIRAE_ASSET_SECURITIES'));
  assert.equal(companies.length, 22, 'the 23 SDK values less TOSS_BANK');
  for (const [i, cardCompany] of companies.entries()) {
    const result = await sandbox.pay({ paymentId: `direct-${i}`, totalAmount: 5_000, card: { cardCompany } }, { result: 'approve', cardCompany: '11' });
    assert.equal(result.code, undefined, cardCompany);
    const payment = paymentOf(sandbox, `direct-${i}`) as PaidPayment;
    const company = CARD_COMPANIES.find((c) => 'sdk' in c && c.sdk === cardCompany)!;
    assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.card?.publisher, company.ko, `${cardCompany}: the locked card, whatever the outcome asked`);
  }
});

test('KG Inicis below1000: card amounts under 1,000 KRW fail in the window unless allowed (PC acceptmethod, mobile P_RESERVED)', async (t) => {
  const sandbox = await withSandbox(t);
  const refused = await sandbox.pay({ paymentId: 'b-1', totalAmount: 500 });
  assert.equal(refused.code, 'FAILURE_TYPE_PG');
  assert.equal(refused.pgCode, 'V117');
  assert.equal(sandbox.payment('b-1')!.status, 'FAILED');
  assert.equal((await sandbox.pay({ paymentId: 'b-2', totalAmount: 500, bypass: { inicis_v2: { acceptmethod: ['below1000'] } } })).code, undefined);
  assert.equal((await sandbox.pay({ paymentId: 'b-3', totalAmount: 500, bypass: { inicis_v2: { P_RESERVED: ['below1000=Y'] } } })).pgCode, 'V117', 'P_RESERVED is the mobile module');
  assert.equal((await sandbox.pay({ paymentId: 'b-4', totalAmount: 500, redirectUrl: 'https://shop.example/done', bypass: { inicis_v2: { P_RESERVED: ['below1000=Y'] } } }, undefined, mobile)).code, undefined);
  assert.equal((await sandbox.pay({ paymentId: 'b-5', totalAmount: 500, payMethod: 'TRANSFER' })).code, undefined, 'transfers are not limited');
  assert.equal((await sandbox.pay({ paymentId: 'b-6', totalAmount: 500 }, { result: 'cancel' })).pgCode, 'V117', 'leaving the error screen reports the error');
});

test('KG Inicis bypass: noeasypay, P_CARD_OPTION (mobile), card direct call, and format checks', async (t) => {
  const sandbox = await withSandbox(t);
  const hidden = await sandbox.pay({ paymentId: 'e-1', totalAmount: 5_000, bypass: { inicis_v2: { acceptmethod: ['noeasypay'] } } }, { result: 'approve', easyPayProvider: 'KAKAOPAY' });
  assert.equal(hidden.pgCode, 'E002');
  const shown = await sandbox.pay({ paymentId: 'e-2', totalAmount: 5_000 }, { result: 'approve', easyPayProvider: 'KAKAOPAY' });
  assert.equal(shown.code, undefined);
  assert.equal((sandbox.payment('e-2') as PaidPayment).method?.type, 'PaymentMethodEasyPay');

  const redirectUrl = 'https://shop.example/return';
  await sandbox.pay({ paymentId: 'sel-m', totalAmount: 5_000, redirectUrl, bypass: { inicis_v2: { P_CARD_OPTION: 'selcode=14' } } }, undefined, mobile);
  const selected = sandbox.payment('sel-m') as PaidPayment;
  assert.equal(selected.method?.type === 'PaymentMethodCard' && selected.method.card?.publisher, '신한카드');
  await sandbox.pay({ paymentId: 'sel-pc', totalAmount: 5_000, bypass: { inicis_v2: { P_CARD_OPTION: 'selcode=14' } } });
  const pc = sandbox.payment('sel-pc') as PaidPayment;
  assert.equal(pc.method?.type === 'PaymentMethodCard' && pc.method.card?.publisher, 'BC카드', 'P_CARD_OPTION is mobile-only');
  await sandbox.pay({ paymentId: 'direct', totalAmount: 5_000, card: { cardCompany: 'HYUNDAI_CARD' } }, { result: 'approve', cardCompany: '11' });
  const direct = sandbox.payment('direct') as PaidPayment;
  assert.equal(direct.method?.type === 'PaymentMethodCard' && direct.method.card?.publisher, '현대카드', 'a direct call fixes the card');

  const formats: [Record<string, unknown>, RegExp][] = [
    [{ acceptmethod: ['SKIN(red)'] }, /SKIN\(#RRGGBB\)/],
    [{ acceptmethod: ['slimquota(11-2:3^3)'] }, /slimquota/],
    [{ acceptmethod: ['mallpoint(11-34)'] }, /mallpoint/],
    [{ parentemail: 'parent+kid@example.com' }, /parentemail/],
    [{ Ini_SSGPAY_MDN: '010-1234-5678' }, /Ini_SSGPAY_MDN/],
    [{ P_CARD_OPTION: '14' }, /selcode/],
  ];
  for (const [inicis, message] of formats) {
    const error = await rejection(sandbox.pay({ paymentId: 'fmt', totalAmount: 5_000, bypass: { inicis_v2: inicis } }));
    assert.ok(error instanceof PaymentError);
    assert.equal(error.code, 'BadRequest');
    assert.match(error.message, message);
  }
  const fine = await sandbox.pay({ paymentId: 'fmt-ok', totalAmount: 5_000, bypass: { inicis_v2: { acceptmethod: ['SKIN(#004E9B)', 'slimquota(11-2:3^34-2:3)', 'mallpoint(11:34)', 'ocb', 'hidebar', 'paypopup'], parentemail: 'parent@example.com', Ini_SSGPAY_MDN: '01012345678', logo_url: 'https://shop.example/logo.png' } } });
  assert.equal(fine.code, undefined);
});

test('mobile windows always redirect (windowType.mobile IFRAME included), need redirectUrl, and skip the PC-only phone/e-mail requirement', async (t) => {
  const sandbox = await withSandbox(t);
  const noRedirect = await rejection(sandbox.pay({ paymentId: 'mob-1', totalAmount: 5_000 }, undefined, mobile));
  assert.match(noRedirect.message, /redirectUrl/);
  const ok = await sandbox.pay({ paymentId: 'mob-2', totalAmount: 5_000, redirectUrl: 'https://shop.example/r', customer: { fullName: '홍길동' } }, undefined, mobile);
  assert.equal(ok.code, undefined);
  const iframeWithoutRedirect = await rejection(sandbox.pay({ paymentId: 'mob-3', totalAmount: 5_000, windowType: { mobile: 'IFRAME' }, customer: { firstName: '길동', lastName: '홍' } }, undefined, mobile));
  assert.match(iframeWithoutRedirect.message, /리디렉션 방식 결제창\(모바일\)에는 redirectUrl/, 'a phone never gets the iframe window');
  const iframe = await sandbox.pay({ paymentId: 'mob-3', totalAmount: 5_000, redirectUrl: 'https://shop.example/r', windowType: { mobile: 'IFRAME' }, customer: { firstName: '길동', lastName: '홍' } }, undefined, mobile);
  assert.equal(iframe.code, undefined);
  assert.equal(paymentOf(sandbox, 'mob-3').customer.name, '홍 길동');
  const prepare = async (userAgent: string, windowType: Record<string, string>) => {
    const response = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      body: JSON.stringify({ transactionType: 'PAYMENT', client: { userAgent }, request: { storeId: sandbox.storeId, channelKey: sandbox.channelKeys.payment, paymentId: `mob-${Math.random()}`, orderName: '주문', totalAmount: 5_000, currency: 'KRW', payMethod: 'CARD', redirectUrl: 'https://shop.example/r', windowType, customer: { fullName: '홍길동', phoneNumber: '010', email: 'a@b.c' } } }),
    });
    return ((await response.json()) as { mode: string }).mode;
  };
  assert.equal(await prepare(MOBILE_USER_AGENT, { mobile: 'IFRAME' }), 'REDIRECTION');
  assert.equal(await prepare(MOBILE_USER_AGENT, {}), 'REDIRECTION');
  assert.equal(await prepare(DESKTOP_USER_AGENT, { mobile: 'IFRAME' }), 'IFRAME');
  assert.equal(await prepare(DESKTOP_USER_AGENT, { pc: 'REDIRECTION' }), 'REDIRECTION');
});

test('requestIssueBillingKey (KG Inicis: CARD, issueId, issueName; offerPeriod on mobile; carduse)', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const issued = await sandbox.issueBillingKey({ issueId: 'issue-1', issueName: '월 구독', customData: { plan: 'pro' } });
  assert.deepEqual(Object.keys(issued).sort(), ['billingKey', 'transactionType']);
  const info = sandbox.billingKey(issued.billingKey)!;
  assert.equal(info.status, 'ISSUED');
  assert.equal(info.status === 'ISSUED' && info.issueId, 'issue-1');
  assert.equal(info.status === 'ISSUED' && info.customData, '{"plan":"pro"}');
  assert.equal(info.status === 'ISSUED' && info.channels[0]!.key, sandbox.channelKeys.billingKey);

  const checks: [Record<string, unknown>, RegExp][] = [
    [{ billingKeyMethod: 'MOBILE' }, /카드만 지원.*expected "CARD", got "MOBILE"/],
    [{ billingKeyMethod: undefined }, /billingKeyMethod/],
    [{ issueId: undefined }, /issueId/],
    [{ issueName: undefined }, /issueName/],
    [{ offerPeriod: { interval: '2w' } }, /offerPeriod\.interval/],
    [{ offerPeriod: { interval: '3m' } }, /1m 또는 1y/],
    [{ offerPeriod: { range: { from: '2026-02-01T00:00:00Z' } } }, /from과 to/],
    [{ bypass: { inicis_v2: { carduse: 'family' } } }, /carduse/],
  ];
  for (const [extra, message] of checks) {
    const error = await rejection(sandbox.issueBillingKey(extra));
    assert.ok(error instanceof IssueBillingKeyError, JSON.stringify(extra));
    assert.equal(error.__portOneErrorType, 'IssueBillingKeyError');
    assert.equal(error.code, 'BadRequest');
    assert.match(error.message, message, JSON.stringify(extra));
  }
  const noPeriod = await rejection(sandbox.issueBillingKey({ redirectUrl: 'https://shop.example/r' }, undefined, mobile));
  assert.match(noPeriod.message, /offerPeriod/);
  const personal = await sandbox.issueBillingKey({ redirectUrl: 'https://shop.example/r', offerPeriod: { interval: '1m' }, bypass: { inicis_v2: { carduse: 'percard' } } }, { result: 'approve', cardType: 'CORPORATE' }, mobile);
  assert.equal(personal.pgCode, 'B021');
  assert.equal(sandbox.billingKey(personal.billingKey), undefined, 'a failed key is not visible');
  const corporate = await sandbox.issueBillingKey({ redirectUrl: 'https://shop.example/r', offerPeriod: { interval: '1y' }, bypass: { inicis_v2: { carduse: 'cocard' } } }, undefined, mobile);
  const corp = sandbox.billingKey(corporate.billingKey)!;
  assert.equal(corp.status === 'ISSUED' && corp.methods?.[0]?.type === 'BillingKeyPaymentMethodCard' && corp.methods[0].card?.ownerType, 'CORPORATE');
  const cancelled = await sandbox.issueBillingKey({}, { result: 'cancel' });
  assert.equal(isShopperCancel(cancelled), true);
  assert.match(cancelled.billingKey, /^billing-key-/);

  await sandbox.flushWebhooks();
  await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(webhookTypes(receiver.received), [
    'BillingKey.Ready', 'BillingKey.Issued', 'BillingKey.Ready', 'BillingKey.Failed', 'BillingKey.Ready', 'BillingKey.Issued', 'BillingKey.Ready', 'BillingKey.Failed',
  ]);
});

test('requestIssueBillingKeyAndPay (KG Inicis: MOBILE only, productType, phone and e-mail always)', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const result = await sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-1', totalAmount: 9_900 }, { result: 'approve', carrier: 'KT', phoneNumber: '010-9999-8888' });
  assert.equal(result.transactionType, 'ISSUE_BILLING_KEY_AND_PAY');
  assert.equal(result.code, undefined);
  const payment = sandbox.payment('bkap-1') as PaidPayment;
  assert.equal(payment.status, 'PAID');
  assert.equal(payment.billingKey, result.billingKey);
  assert.equal(payment.method?.type === 'PaymentMethodMobile' && payment.method.phoneNumber, '010-9999-8888');
  assert.equal(payment.channel.key, sandbox.channelKeys.billingKeyAndPay);
  const info = sandbox.billingKey(result.billingKey)!;
  assert.equal(info.status === 'ISSUED' && info.methods?.[0]?.type, 'BillingKeyPaymentMethodMobile');

  const phone = await rejection(sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-2', totalAmount: 1_000, billingKeyAndPayMethod: 'PHONE' as 'MOBILE' }));
  assert.ok(phone instanceof IssueBillingKeyAndPayError);
  assert.match(phone.message, /guide says PHONE, but the SDK value is MOBILE/);
  const type = await rejection(sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-2', totalAmount: 1_000, productType: undefined }));
  assert.match(type.message, /productType/);
  const contact = await rejection(sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-2', totalAmount: 1_000, redirectUrl: 'https://shop.example/r', offerPeriod: { interval: '1m' }, customer: { fullName: '홍길동', phoneNumber: '010' } }, undefined, mobile));
  assert.match(contact.message, /customer\.email/, 'required on mobile too');
  const usd = await rejection(sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-2', totalAmount: 1_000, currency: 'USD' }));
  assert.match(usd.message, /expected KRW/);
  const declined = await sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-3', totalAmount: 1_000 }, { result: 'decline' });
  assert.equal(declined.pgCode, 'M105');
  assert.equal(sandbox.payment('bkap-3')!.status, 'FAILED');

  await sandbox.flushWebhooks();
  await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(webhookTypes(receiver.received), [
    'BillingKey.Ready', 'Transaction.Ready', 'BillingKey.Issued', 'Transaction.Paid',
    'BillingKey.Ready', 'Transaction.Ready', 'BillingKey.Failed', 'Transaction.Failed',
  ], 'the key has its Ready like requestIssueBillingKey\'s');
});

test('redirect query (§3.5): the result fields appended to redirectUrl, the merchant query and fragment kept', () => {
  const url = withResultQuery('https://shop.example/done?order=42#top', { transactionType: 'PAYMENT', txId: 'tx-1', paymentId: 'p 1', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
  const parsed = new URL(url);
  assert.equal(parsed.hash, '#top');
  assert.deepEqual([...parsed.searchParams], [['order', '42'], ['paymentId', 'p 1'], ['txId', 'tx-1'], ['transactionType', 'PAYMENT'], ['code', 'FAILURE_TYPE_PG'], ['message', '사용자가 결제를 취소하였습니다.']]);
  const key = new URL(withResultQuery('https://shop.example/bk', { transactionType: 'ISSUE_BILLING_KEY', billingKey: 'billing-key-1' }));
  assert.deepEqual([...key.searchParams], [['transactionType', 'ISSUE_BILLING_KEY'], ['billingKey', 'billing-key-1']]);
  const both = new URL(withResultQuery('https://shop.example/x', { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', billingKey: 'bk', paymentId: 'p', txId: 't', pgCode: 'M105', pgMessage: 'm', code: 'FAILURE_TYPE_PG', message: '[M105] m' }));
  assert.deepEqual([...both.searchParams].map(([k]) => k), ['transactionType', 'paymentId', 'txId', 'billingKey', 'code', 'message', 'pgCode', 'pgMessage']);
});

test('page-scripted outcomes parse from words or JSON', () => {
  assert.deepEqual(parseOutcome('approve'), { result: 'approve' });
  assert.deepEqual(parseOutcome(' cancel '), { result: 'cancel' });
  assert.deepEqual(parseOutcome('decline:V013'), { result: 'decline', pgCode: 'V013' });
  assert.deepEqual(parseOutcome('{"result":"approve","cardCompany":"14"}'), { result: 'approve', cardCompany: '14' });
  assert.equal(parseOutcome('maybe'), undefined);
  assert.equal(parseOutcome('{"result":"later"}'), undefined);
  assert.equal(parseOutcome(null), undefined);
});

test('a bad scripted outcome fails before the window opens: no READY payment, no Transaction.Ready', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const bad: [SandboxOutcome, RegExp][] = [
    [{ result: 'approve', cardCompany: '99' }, /`cardCompany`: expected a KG Inicis card code/],
    [{ result: 'approve', bank: 'SHINHAN_BANK' }, /`bank`: expected a REST Bank value/],
    [{ result: 'approve', carrier: 'VODAFONE' }, /`carrier`: expected one of SKT, KT, LGU, MVNO/],
    [{ result: 'approve', installmentMonth: 48 }, /`installmentMonth`: expected 0 to 36/],
    [{ result: 'approve', easyPayProvider: 'CHAI' }, /`easyPayProvider`/],
  ];
  for (const [i, [outcome, message]] of bad.entries()) {
    const error = await rejection(sandbox.pay({ paymentId: `bad-outcome-${i}`, totalAmount: 5_000 }, outcome));
    assert.ok(error instanceof TypeError, JSON.stringify(outcome));
    assert.match(error.message, message);
    assert.equal(sandbox.payment(`bad-outcome-${i}`), undefined, 'no window was opened');
    assert.throws(() => sandbox.nextOutcome(outcome), message, 'nextOutcome checks the same');
  }
  assert.match((await rejection(sandbox.issueBillingKey({}, { result: 'approve', cardNumber: '4242-4242' }))).message, /`cardNumber`: expected 13 to 19 digits/);
  assert.match((await rejection(sandbox.issueBillingKeyAndPay({ paymentId: 'bad-bkap', totalAmount: 1_000 }, { result: 'approve', carrier: 'X' }))).message, /`carrier`/);
  assert.equal(sandbox.payment('bad-bkap'), undefined);
  // A page-scripted outcome (data attribute, query) is checked by the checkout server the same way.
  const response = await fetch(`${sandbox.url}/checkout/prepare`, {
    method: 'POST',
    body: JSON.stringify({ transactionType: 'PAYMENT', client: { userAgent: DESKTOP_USER_AGENT, outcome: { result: 'approve', bank: 'NOPE' } }, request: { storeId: sandbox.storeId, channelKey: sandbox.channelKeys.payment, paymentId: 'bad-page', orderName: '주문', totalAmount: 5_000, currency: 'KRW', payMethod: 'TRANSFER', customer: { fullName: '홍길동', phoneNumber: '010', email: 'a@b.c' } } }),
  });
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { message: string }).message, /scripted sandbox outcome is not valid: `bank`/);
  assert.equal(sandbox.payment('bad-page'), undefined);
  await sandbox.flushWebhooks();
  assert.deepEqual(receiver.received, [], 'no webhook for any of them');
});

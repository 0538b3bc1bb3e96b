// The payment window in a real Chromium (Playwright from Node, so redirects can leave the page):
// a merchant page on its own origin loads the sandbox's /v2/browser-sdk.js like PortOne's CDN
// script, and a shopper clicks, types and presses keys in the KG Inicis window.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { PaidPayment } from '@portone/server-sdk/payment';
import type { Sandbox } from '../../src/sandbox/index.js';
import { paymentOf, withSandbox } from './support.js';
import { call, MOBILE_UA, result, useBrowser } from './window-support.js';

const shop = useBrowser();
const { merchant, openShop } = shop;
const paymentRequest = (sandbox: Sandbox, extra: Record<string, unknown> = {}) => ({
  storeId: sandbox.storeId,
  channelKey: sandbox.channelKeys.payment,
  paymentId: `pay-${Math.random().toString(36).slice(2)}`,
  orderName: '테스트 상품',
  totalAmount: 64_000,
  currency: 'KRW',
  payMethod: 'CARD',
  customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'buyer@example.com' },
  ...extra,
});

test('desktop: the window opens as an iframe overlay; choosing a card and paying resolves requestPayment', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox);
  const request = paymentRequest(sandbox);
  await call(page, 'requestPayment', request);
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByRole('dialog', { name: 'KG이니시스 결제하기' }).waitFor();
  await frame.getByRole('radio', { name: '신한카드' }).check();
  await frame.getByLabel('할부').selectOption('3');
  await frame.getByRole('button', { name: '결제하기' }).click();
  const { value } = await result(page);
  assert.deepEqual(Object.keys(value!).sort(), ['paymentId', 'transactionType', 'txId']);
  assert.equal(value!.paymentId, request.paymentId);
  assert.equal(await page.locator('[data-portone-sandbox]').count(), 0, 'the overlay is gone');
  const payment = paymentOf(sandbox, request.paymentId) as PaidPayment;
  assert.equal(payment.status, 'PAID');
  assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.card?.publisher, '신한카드');
  assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.installment?.month, 3);
});

test('keyboard: focus starts in the window, arrows pick a card, Tab reaches Pay, Enter pays; Escape cancels', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox);
  const first = paymentRequest(sandbox, { totalAmount: 9_000 });
  await call(page, 'requestPayment', first);
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  const bc = frame.getByRole('radio', { name: 'BC카드' });
  await bc.waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');
  await assertFocused(frame.locator(':focus'), 'cardCompany');
  await page.keyboard.press('ArrowRight');
  await assertFocusedValue(frame, '06');
  // Tab out of the card group through the card type and easy-pay groups to the Pay button.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  assert.equal(await frame.locator(':focus').textContent(), '결제하기');
  await page.keyboard.press('Enter');
  const paid = await result(page);
  assert.equal(paid.value!.code, undefined);
  const payment = paymentOf(sandbox, first.paymentId) as PaidPayment;
  assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.card?.publisher, 'KB국민카드');

  const second = paymentRequest(sandbox);
  await call(page, 'requestPayment', second);
  await page.frameLocator('iframe[data-portone-sandbox="window"]').getByRole('radio', { name: 'BC카드' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');
  await page.keyboard.press('Escape');
  const cancelled = await result(page);
  assert.equal(cancelled.value!.code, 'FAILURE_TYPE_PG');
  assert.match(String(cancelled.value!.message), /취소/);
  assert.equal(paymentOf(sandbox, second.paymentId).status, 'FAILED');
});

test('keyboard: focus stays in the window (the page behind is inert); Escape pressed on the page behind cancels', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox);
  const request = paymentRequest(sandbox, { totalAmount: 9_000 });
  await call(page, 'requestPayment', request);
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByRole('radio', { name: 'BC카드' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');
  assert.equal(await page.locator('#buy').evaluate((el) => el.closest('[inert]') !== null), true, 'the merchant page is inert');
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
    const where = await page.evaluate(() => document.activeElement?.tagName ?? 'none');
    assert.equal(where, 'IFRAME', `Tab ${i + 1} left the window for ${where}`);
    const inside = await page.frames()[1]!.evaluate(() => { const el = document.activeElement; return el && el !== document.body ? (el.getAttribute('name') ?? el.textContent ?? '?') : 'none'; });
    seen.add(inside);
  }
  assert.ok(seen.has('결제하기') && seen.has('cardCompany'), `Tab cycles through the window: ${[...seen].join(', ')}`);
  assert.equal(await page.locator('[data-portone-sandbox="window"]').count(), 1, 'one window');

  // Focus pulled back to the merchant page (say a script did it): Escape there still cancels.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'IFRAME');
  await page.keyboard.press('Escape');
  const { value } = await result(page);
  assert.equal(value!.code, 'FAILURE_TYPE_PG');
  assert.equal(value!.message, '사용자가 결제를 취소하였습니다.');
  assert.equal(await page.locator('[data-portone-sandbox]').count(), 0);
  assert.equal(await page.locator('#buy').evaluate((el) => el.closest('[inert]') !== null), false, 'inert is lifted once the window closes');
});

async function assertFocused(locator: ReturnType<Page['locator']>, name: string): Promise<void> {
  assert.equal(await locator.getAttribute('name'), name);
}
async function assertFocusedValue(frame: ReturnType<Page['frameLocator']>, value: string): Promise<void> {
  assert.equal(await frame.locator(':focus').getAttribute('value'), value);
}

test('decline from the window: the sandbox panel picks a KG Inicis code; the promise resolves with it', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox);
  const request = paymentRequest(sandbox);
  await call(page, 'requestPayment', request);
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByText('PortOne 샌드박스').click();
  await frame.getByLabel('승인 거절 시뮬레이션').selectOption('V020');
  await frame.getByRole('button', { name: '거절 처리' }).click();
  const { value } = await result(page);
  assert.deepEqual(value, { transactionType: 'PAYMENT', txId: value!.txId, paymentId: request.paymentId, code: 'FAILURE_TYPE_PG', message: '[V020] 분실 또는 도난 신고된 카드입니다.', pgCode: 'V020', pgMessage: '분실 또는 도난 신고된 카드입니다.' });
});

test('desktop bypass: logos, SKIN colour, noeasypay hides easy pay; EN_US is English', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox);
  await call(page, 'requestPayment', paymentRequest(sandbox, {
    locale: 'EN_US',
    bypass: { inicis_v2: { logo_url: `${sandbox.url}/logo.png`, logo_2nd: `${sandbox.url}/logo2.png`, acceptmethod: ['SKIN(#004E9B)', 'noeasypay'] } },
  }));
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByRole('dialog', { name: 'KG이니시스 Payment' }).waitFor();
  assert.equal(await frame.locator('html').getAttribute('lang'), 'en');
  assert.equal(await frame.locator('img[data-logo="main"]').getAttribute('src'), `${sandbox.url}/logo.png`);
  assert.equal(await frame.locator('img[data-logo="sub"]').getAttribute('src'), `${sandbox.url}/logo2.png`);
  assert.equal(await frame.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(0, 78, 155)');
  assert.equal(await frame.getByRole('group', { name: 'Easy pay' }).count(), 0, 'noeasypay hides the easy-pay choices');
  assert.equal(await frame.getByRole('button', { name: 'Pay', exact: true }).count(), 1);
  await frame.getByRole('button', { name: 'Cancel', exact: true }).click();
  const { value } = await result(page);
  assert.equal(value!.message, 'Payment cancelled by the user.', 'an English window cancels in English');

  await call(page, 'requestPayment', paymentRequest(sandbox));
  const plain = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await plain.getByRole('group', { name: '간편결제' }).waitFor();
  assert.equal(await plain.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(193, 39, 44)', 'default SKIN #C1272C');
  await plain.getByRole('radio', { name: '카카오페이' }).check();
  await plain.getByRole('button', { name: '결제하기' }).click();
  assert.equal((await result(page)).value!.code, undefined);
});

test('before the window: PortOne rejections reject with the SDK error shape (__portOneErrorType)', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox);
  await call(page, 'requestPayment', paymentRequest(sandbox, { channelKey: 'channel-key-unknown' }));
  const { error } = await result(page);
  assert.equal(error!.__portOneErrorType, 'PaymentError');
  assert.equal(error!.transactionType, 'PAYMENT');
  assert.equal(error!.code, 'ChannelNotFound');
  await call(page, 'requestPayment', undefined);
  assert.equal((await result(page)).error!.message, '결제요청 파라메터가 누락되었습니다.');
  await call(page, 'requestIdentityVerification', {});
  const identity = (await result(page)).error!;
  assert.equal(identity.__portOneErrorType, 'IdentityVerificationError');
  assert.deepEqual([identity.code, identity.transactionType], ['BadRequest', 'IDENTITY_VERIFICATION']);
  assert.match(String(identity.message), /storeId 파라미터는 필수 입력입니다/);
  await call(page, 'loadPaymentUI', {});
  const unsupported = (await result(page)).error!;
  assert.deepEqual([unsupported.__portOneErrorType, unsupported.code], ['LoadPaymentUIError', 'Unimplemented']);
  assert.equal(await page.locator('[data-portone-sandbox]').count(), 0, 'no window opened');
});

test('mobile: the window replaces the page (REDIRECTION), P_CARD_OPTION preselects, P_MNAME shows; the result comes back as query', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin } = await openShop(t, sandbox, { mobile: true });
  const request = paymentRequest(sandbox, { redirectUrl: `${origin}/return?order=7`, bypass: { inicis_v2: { P_CARD_OPTION: 'selcode=14', P_MNAME: '포트원 상점', acceptmethod: ['SKIN(#000000)'] } } });
  await call(page, 'requestPayment', request);
  await page.waitForURL(/\/checkout\/window\//);
  assert.equal(await page.getByRole('radio', { name: '신한카드' }).isChecked(), true);
  assert.equal(await page.locator('[data-field="store"]').textContent(), '포트원 상점');
  assert.equal(await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(193, 39, 44)', 'acceptmethod is PC-only');
  await page.getByRole('button', { name: '결제하기' }).click();
  await page.waitForURL(/\/return\?/);
  const query = Object.fromEntries(new URL(page.url()).searchParams);
  const payment = paymentOf(sandbox, request.paymentId) as PaidPayment;
  assert.deepEqual(query, { order: '7', paymentId: request.paymentId, txId: payment.transactionId, transactionType: 'PAYMENT' });
  assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.card?.publisher, '신한카드');
});

test('forceRedirect on desktop: a cancel comes back as code and message in the query', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin } = await openShop(t, sandbox);
  const request = paymentRequest(sandbox, { redirectUrl: `${origin}/return`, forceRedirect: true });
  await call(page, 'requestPayment', request);
  await page.waitForURL(/\/checkout\/window\//);
  await page.getByRole('button', { name: '결제창 닫기' }).click();
  await page.waitForURL(/\/return\?/);
  const query = Object.fromEntries(new URL(page.url()).searchParams);
  assert.equal(query.paymentId, request.paymentId);
  assert.equal(query.transactionType, 'PAYMENT');
  assert.equal(query.code, 'FAILURE_TYPE_PG');
  assert.equal(query.message, '사용자가 결제를 취소하였습니다.');
  assert.equal(query.pgCode, undefined);
});

test('mobile billing key with carduse=percard: corporate cards cannot be chosen; the key comes back as query', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin } = await openShop(t, sandbox, { mobile: true });
  await call(page, 'requestIssueBillingKey', {
    storeId: sandbox.storeId,
    channelKey: sandbox.channelKeys.billingKey,
    billingKeyMethod: 'CARD',
    issueId: 'issue-mobile-1',
    issueName: '월 구독',
    offerPeriod: { interval: '1m' },
    redirectUrl: `${origin}/return`,
    customer: { fullName: '홍길동' },
    bypass: { inicis_v2: { carduse: 'percard' } },
  });
  await page.waitForURL(/\/checkout\/window\//);
  assert.equal(await page.getByRole('radio', { name: '법인카드' }).isDisabled(), true);
  assert.equal(await page.getByRole('radio', { name: '개인카드' }).isChecked(), true);
  await page.getByLabel('카드번호 (테스트용)').fill('4000 0000 0000 0002');
  await page.getByRole('button', { name: '등록하기' }).click();
  await page.waitForURL(/\/return\?/);
  const query = Object.fromEntries(new URL(page.url()).searchParams);
  assert.equal(query.transactionType, 'ISSUE_BILLING_KEY');
  const info = sandbox.billingKey(query.billingKey!);
  assert.equal(info?.status, 'ISSUED');
  // The test card chosen in the window decides later charges.
  sandbox.nextChargeOutcome({ result: 'approve' });
  const response = await fetch(`${sandbox.url}/payments/after-1/billing-key`, {
    method: 'POST',
    headers: { authorization: `PortOne ${sandbox.apiSecret}` },
    body: JSON.stringify({ billingKey: query.billingKey, orderName: '1월', amount: { total: 1_000 }, currency: 'KRW', customer: { email: 'a@example.com', phoneNumber: '010' } }),
  });
  assert.equal(response.status, 200, 'the queued outcome wins over the test card');
  const declined = await fetch(`${sandbox.url}/payments/after-2/billing-key`, {
    method: 'POST',
    headers: { authorization: `PortOne ${sandbox.apiSecret}` },
    body: JSON.stringify({ billingKey: query.billingKey, orderName: '2월', amount: { total: 1_000 }, currency: 'KRW', customer: { email: 'a@example.com', phoneNumber: '010' } }),
  });
  assert.equal(declined.status, 502);
  assert.equal((await declined.json()).pgCode, 'V005');
});

test('scripted outcomes: a page attribute or sandbox.nextOutcome ends the window visibly, without clicks', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await openShop(t, sandbox, { attributes: 'data-portone-sandbox-outcome="decline:V013"' });
  await call(page, 'requestPayment', paymentRequest(sandbox));
  const declined = await result(page);
  assert.equal(declined.value!.pgCode, 'V013');

  const plain = await openShop(t, sandbox);
  sandbox.nextOutcome({ result: 'approve', cardCompany: '12' });
  const request = paymentRequest(sandbox, { payMethod: 'CARD' });
  // Hold the window's completion request to look at the window while it finishes by itself.
  let shown: { banner: string | null; checked: string | null } | undefined;
  await plain.page.route('**/checkout/transactions/*/complete', async (route) => {
    const frame = plain.page.frameLocator('iframe[data-portone-sandbox="window"]');
    shown = {
      banner: await frame.locator('#pw-scripted').textContent(),
      checked: await frame.locator('input[name="cardCompany"]:checked').getAttribute('value'),
    };
    await route.continue();
  });
  await call(plain.page, 'requestPayment', request);
  const approved = await result(plain.page);
  assert.deepEqual(shown, { banner: '테스트 스크립트로 자동 진행: approve', checked: '12' }, 'the scripted choice is visible in the window');
  assert.equal(approved.value!.code, undefined);
  const payment = paymentOf(sandbox, request.paymentId) as PaidPayment;
  assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.card?.publisher, '삼성카드');
});

test('virtual account in the window: the promise resolves on issue; the dashboard deposit button pays it', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, context } = await openShop(t, sandbox);
  const request = paymentRequest(sandbox, { payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 24 } } });
  await call(page, 'requestPayment', request);
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByLabel('은행 선택').selectOption('WOORI');
  await frame.getByRole('button', { name: '결제하기' }).click();
  assert.equal((await result(page)).value!.code, undefined);
  assert.equal(paymentOf(sandbox, request.paymentId).status, 'VIRTUAL_ACCOUNT_ISSUED');

  const dashboard = await context.newPage();
  await dashboard.goto(sandbox.dashboardUrl);
  await dashboard.getByRole('button', { name: /^입금/ }).click();
  await dashboard.getByRole('status').filter({ hasText: '완료' }).waitFor();
  assert.equal(paymentOf(sandbox, request.paymentId).status, 'PAID');
});

test('the window and the dashboard pass an axe scan', async (t) => {
  const sandbox = await withSandbox(t);
  const context = await shop.browser().newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  for (const payMethod of ['CARD', 'VIRTUAL_ACCOUNT', 'MOBILE']) {
    const response = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      body: JSON.stringify({ transactionType: 'PAYMENT', request: paymentRequest(sandbox, { payMethod, productType: 'DIGITAL' }), client: { userAgent: 'test' } }),
    });
    const answer = (await response.json()) as { windowUrl: string };
    await page.goto(`${sandbox.url}${answer.windowUrl}`);
    const scan = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(scan.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], payMethod);
  }
  await page.goto(sandbox.dashboardUrl);
  const scan = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(scan.violations.map((v) => v.id), []);
});

test('@portone/browser-sdk/v2 pointed at the sandbox on a phone: the loader injects the runtime, the window redirects, the result returns as query', async (t) => {
  const sandbox = await withSandbox(t);
  const origin = await merchant(t, sandbox);
  const context = await shop.browser().newContext({ userAgent: MOBILE_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${origin}/npm`);
  const request = paymentRequest(sandbox, { payMethod: 'MOBILE', productType: 'DIGITAL', redirectUrl: `${origin}/return`, customer: { fullName: '홍길동' } });
  sandbox.nextOutcome({ result: 'decline', pgCode: 'M201' });
  await page.evaluate(([sdkUrl, req]) => void (window as unknown as { checkout: (u: unknown, r: unknown) => Promise<unknown> }).checkout(sdkUrl, req), [sandbox.sdkUrl, request] as const);
  await page.waitForURL(/\/return\?/);
  const query = Object.fromEntries(new URL(page.url()).searchParams);
  assert.deepEqual(query, {
    paymentId: request.paymentId,
    txId: paymentOf(sandbox, request.paymentId).transactionId,
    transactionType: 'PAYMENT',
    code: 'FAILURE_TYPE_PG',
    message: '[M201] 인증번호가 일치하지 않습니다.',
    pgCode: 'M201',
    pgMessage: '인증번호가 일치하지 않습니다.',
  });
});

/** A merchant page that loads @portone/browser-sdk/v2 from npm (the `/npm` page) and calls it, pointed at the sandbox. */
async function npmShop(t: TestContext, sandbox: Sandbox, options: { mobile?: boolean } = {}) {
  const origin = await merchant(t, sandbox);
  const context = await shop.browser().newContext(options.mobile ? { userAgent: MOBILE_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {});
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${origin}/npm`);
  const start = (fn: 'checkout' | 'issueBillingKey', request: unknown) =>
    page.evaluate(([name, sdkUrl, req]) => void (window as unknown as Record<string, (u: unknown, r: unknown) => Promise<unknown>>)[name]!(sdkUrl, req), [fn, sandbox.sdkUrl, request] as const);
  return { page, origin, start };
}

test('@portone/browser-sdk/v2, redirect path: the shopper approves in the window; the payment comes back as query', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin, start } = await npmShop(t, sandbox);
  const request = paymentRequest(sandbox, { redirectUrl: `${origin}/return?order=9`, forceRedirect: true });
  await start('checkout', request);
  await page.waitForURL(/\/checkout\/window\//);
  await page.getByRole('radio', { name: '삼성카드' }).check();
  await page.getByRole('button', { name: '결제하기' }).click();
  await page.waitForURL(/\/return\?/);
  const payment = paymentOf(sandbox, request.paymentId) as PaidPayment;
  assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams), { order: '9', paymentId: request.paymentId, txId: payment.transactionId, transactionType: 'PAYMENT' });
  assert.equal(payment.status, 'PAID');
  assert.equal(payment.method?.type === 'PaymentMethodCard' && payment.method.card?.publisher, '삼성카드');
});

test('@portone/browser-sdk/v2, redirect path on a phone: the shopper cancels; code and message come back as query', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin, start } = await npmShop(t, sandbox, { mobile: true });
  const request = paymentRequest(sandbox, { redirectUrl: `${origin}/return`, customer: { fullName: '홍길동' } });
  await start('checkout', request);
  await page.waitForURL(/\/checkout\/window\//);
  await page.getByRole('button', { name: '취소' }).click();
  await page.waitForURL(/\/return\?/);
  assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams), {
    paymentId: request.paymentId,
    txId: paymentOf(sandbox, request.paymentId).transactionId,
    transactionType: 'PAYMENT',
    code: 'FAILURE_TYPE_PG',
    message: '사용자가 결제를 취소하였습니다.',
  });
  assert.equal(paymentOf(sandbox, request.paymentId).status, 'FAILED');
});

test('@portone/browser-sdk/v2, billing-key redirect on a phone: the card is registered; the key comes back as query', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin, start } = await npmShop(t, sandbox, { mobile: true });
  await start('issueBillingKey', {
    storeId: sandbox.storeId,
    channelKey: sandbox.channelKeys.billingKey,
    billingKeyMethod: 'CARD',
    issueId: 'issue-npm-1',
    issueName: '월 구독',
    offerPeriod: { interval: '1m' },
    redirectUrl: `${origin}/return?plan=monthly`,
    customer: { fullName: '홍길동' },
  });
  await page.waitForURL(/\/checkout\/window\//);
  await page.getByRole('button', { name: '등록하기' }).click();
  await page.waitForURL(/\/return\?/);
  const query = Object.fromEntries(new URL(page.url()).searchParams);
  assert.deepEqual(Object.keys(query), ['plan', 'transactionType', 'billingKey']);
  assert.equal(query.transactionType, 'ISSUE_BILLING_KEY');
  const info = sandbox.billingKey(query.billingKey!);
  assert.equal(info?.status === 'ISSUED' && info.issueId, 'issue-npm-1');
});

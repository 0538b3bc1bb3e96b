// The KG Inicis 통합인증 window in a real Chromium: `requestIdentityVerification` from the sandbox's
// runtime and from the npm loader, the overlay on a desktop and the redirect on a phone, a shopper
// choosing a 인증 수단, a carrier and a test person, failing or cancelling; scripted outcomes; axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Sandbox } from '../../src/sandbox/index.js';
import { withSandbox } from './support.js';
import { call, result, useBrowser } from './window-support.js';

const shop = useBrowser();

const identityRequest = (sandbox: Sandbox, extra: Record<string, unknown> = {}) => ({
  storeId: sandbox.storeId,
  channelKey: sandbox.channelKeys.identityVerification,
  identityVerificationId: `iv-${Math.random().toString(36).slice(2)}`,
  bypass: { inicisUnified: { flgFixedUser: 'N' } },
  ...extra,
});

const verifiedName = (sandbox: Sandbox, id: string) => {
  const v = sandbox.identityVerification(id);
  return v?.status === 'VERIFIED' ? v.verifiedCustomer.name : v?.status;
};

test('desktop: the 통합인증 window opens as an overlay; picking a test person picks their carrier; 인증하기 resolves the promise', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await shop.openShop(t, sandbox);
  const request = identityRequest(sandbox, { customer: { customerId: 'member-3' } });
  await call(page, 'requestIdentityVerification', request);
  const frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByRole('dialog', { name: 'KG이니시스 통합인증' }).waitFor();
  assert.equal(await frame.getByRole('radio', { name: 'PASS (통신사)' }).isChecked(), true);
  assert.equal(await frame.getByRole('radio', { name: 'SKT', exact: true }).isChecked(), true, "the default person's carrier");
  await frame.getByLabel('인증할 사람 (테스트)').selectOption('minor');
  assert.equal(await frame.getByRole('radio', { name: 'KT', exact: true }).isChecked(), true, "the minor's carrier follows");
  await frame.getByRole('button', { name: '인증하기' }).click();
  const { value } = await result(page);
  assert.deepEqual(Object.keys(value!).sort(), ['identityVerificationId', 'identityVerificationTxId', 'transactionType']);
  assert.equal(value!.identityVerificationId, request.identityVerificationId);
  assert.equal(await page.locator('[data-portone-sandbox]').count(), 0, 'the overlay is gone');
  const v = sandbox.identityVerification(request.identityVerificationId);
  assert.equal(v?.status === 'VERIFIED' && `${v.verifiedCustomer.name} ${v.verifiedCustomer.id}`, '이서연 member-3');
});

test('desktop: another carrier than the person\'s fails in PASS; the sandbox panel fails with a code; Escape cancels', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await shop.openShop(t, sandbox);
  const first = identityRequest(sandbox);
  await call(page, 'requestIdentityVerification', first);
  let frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByRole('radio', { name: 'LG U+ 알뜰폰' }).check();
  await frame.getByRole('button', { name: '인증하기' }).click();
  const carrier = (await result(page)).value!;
  assert.deepEqual([carrier.code, carrier.pgCode], ['FAILURE_TYPE_PG', 'I103']);

  const second = identityRequest(sandbox);
  await call(page, 'requestIdentityVerification', second);
  frame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await frame.getByText('PortOne 샌드박스').click();
  await frame.getByLabel('인증 실패 시뮬레이션').selectOption('I102');
  await frame.getByRole('button', { name: '실패 처리' }).click();
  const failed = (await result(page)).value!;
  assert.deepEqual([failed.code, failed.pgCode, failed.message], ['FAILURE_TYPE_PG', 'I102', '[I102] 인증서 비밀번호가 일치하지 않습니다.']);
  assert.equal(sandbox.identityVerification(second.identityVerificationId)?.status, 'FAILED');

  const third = identityRequest(sandbox);
  await call(page, 'requestIdentityVerification', third);
  await page.frameLocator('iframe[data-portone-sandbox="window"]').getByRole('radio', { name: 'PASS (통신사)' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');
  await page.keyboard.press('Escape');
  const cancelled = (await result(page)).value!;
  assert.deepEqual([cancelled.code, cancelled.message], ['FAILURE_TYPE_PG', '사용자가 본인인증을 취소하였습니다.']);
});

test('before the window: a verified id is refused with IdentityVerificationError (__portOneErrorType), and no window opens', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await shop.openShop(t, sandbox);
  await sandbox.verifyIdentity({ identityVerificationId: 'done-1' });
  await call(page, 'requestIdentityVerification', identityRequest(sandbox, { identityVerificationId: 'done-1' }));
  const { error } = await result(page);
  assert.deepEqual([error!.__portOneErrorType, error!.transactionType, error!.code, error!.identityVerificationId], ['IdentityVerificationError', 'IDENTITY_VERIFICATION', 'IdentityVerificationAlreadyVerified', 'done-1']);
  await call(page, 'requestIdentityVerification', identityRequest(sandbox, { bypass: {} }));
  const rule = (await result(page)).error!;
  assert.deepEqual([rule.code, rule.pgCode], ['BadRequest', 'R131']);
  assert.equal(await page.locator('[data-portone-sandbox]').count(), 0, 'no window opened');
});

test('a page attribute scripts the window (approve:foreigner); a fixed user is shown and verifies as themselves', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await shop.openShop(t, sandbox, { attributes: 'data-portone-sandbox-outcome="approve:foreigner"' });
  const scripted = identityRequest(sandbox);
  await call(page, 'requestIdentityVerification', scripted);
  // Nobody clicks: the script ends the window by itself (so its note may be gone before anyone looks).
  assert.equal((await result(page)).value!.code, undefined);
  assert.equal(verifiedName(sandbox, scripted.identityVerificationId), 'JOHN SMITH');

  const { page: plain } = await shop.openShop(t, sandbox);
  const child = sandbox.testPerson('child');
  const [birthYear, birthMonth, birthDay] = child.birthDate.split('-');
  const fixed = identityRequest(sandbox, {
    customer: { fullName: child.name, phoneNumber: child.phoneNumber, birthYear, birthMonth, birthDay },
    bypass: { inicisUnified: { flgFixedUser: 'Y', directAgency: 'TOSS' } },
  });
  await call(plain, 'requestIdentityVerification', fixed);
  const frame = plain.frameLocator('iframe[data-portone-sandbox="window"]');
  assert.equal(await frame.locator('[data-field="fixedUser"]').textContent(), `${child.name} · ${child.birthDate} · ${child.phoneNumber}`);
  assert.deepEqual(await frame.locator('input[name="agency"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)), ['TOSS'], 'directAgency: no other choice');
  await frame.getByRole('button', { name: '인증하기' }).click();
  assert.equal((await result(plain)).value!.code, undefined);
  assert.equal(verifiedName(sandbox, fixed.identityVerificationId), child.name);
});

test('mobile: the window replaces the page; the result comes back as query (approve, then a cancel)', async (t) => {
  const sandbox = await withSandbox(t);
  const { page, origin } = await shop.openShop(t, sandbox, { mobile: true });
  const request = identityRequest(sandbox, { redirectUrl: `${origin}/return?step=adult-check` });
  await call(page, 'requestIdentityVerification', request);
  await page.waitForURL(/\/checkout\/window\//);
  await page.getByLabel('인증할 사람 (테스트)').selectOption('turned19Today');
  await page.getByRole('button', { name: '인증하기' }).click();
  await page.waitForURL(/\/return\?/);
  const query = Object.fromEntries(new URL(page.url()).searchParams);
  assert.deepEqual(Object.keys(query), ['step', 'transactionType', 'identityVerificationId', 'identityVerificationTxId']);
  assert.deepEqual([query.transactionType, query.identityVerificationId], ['IDENTITY_VERIFICATION', request.identityVerificationId]);
  assert.equal(verifiedName(sandbox, request.identityVerificationId), '최도윤');

  await page.goto(`${origin}/`);
  const cancelled = identityRequest(sandbox, { redirectUrl: `${origin}/return` });
  await call(page, 'requestIdentityVerification', cancelled);
  await page.waitForURL(/\/checkout\/window\//);
  await page.getByRole('button', { name: '취소' }).click();
  await page.waitForURL(/\/return\?/);
  const back = Object.fromEntries(new URL(page.url()).searchParams);
  assert.deepEqual([back.code, back.message], ['FAILURE_TYPE_PG', '사용자가 본인인증을 취소하였습니다.']);
});

test('@portone/browser-sdk/v2 pointed at the sandbox: requestIdentityVerification resolves through the npm loader', async (t) => {
  const sandbox = await withSandbox(t);
  const { page } = await shop.openShop(t, sandbox, { path: '/npm' });
  sandbox.nextIdentityOutcome({ result: 'approve', person: 'noCi' });
  const request = identityRequest(sandbox);
  await page.evaluate(([sdkUrl, req]) => void (window as unknown as { verifyIdentity: (u: unknown, r: unknown) => Promise<unknown> }).verifyIdentity(sdkUrl, req), [sandbox.sdkUrl, request] as const);
  const { value } = await result(page);
  assert.equal(value!.transactionType, 'IDENTITY_VERIFICATION');
  assert.equal(value!.code, undefined);
  const v = sandbox.identityVerification(request.identityVerificationId);
  assert.equal(v?.status === 'VERIFIED' && v.verifiedCustomer.ci, undefined, 'noCi verifies through 카카오: no CI');
});

test('the identity window passes an axe scan (plain, fixed user, KG Inicis error)', async (t) => {
  const sandbox = await withSandbox(t);
  const context = await shop.browser().newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const adult = sandbox.testPerson('adult');
  const [birthYear, birthMonth, birthDay] = adult.birthDate.split('-');
  for (const bypass of [
    { flgFixedUser: 'N' },
    { flgFixedUser: 'Y', FRGNDInfo: 'N', logoUrl: 'https://shop.example/logo.png' },
    { flgFixedUser: 'N', directAgency: 'SMS' },
  ]) {
    const response = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      body: JSON.stringify({
        transactionType: 'IDENTITY_VERIFICATION',
        request: identityRequest(sandbox, { bypass: { inicisUnified: bypass }, customer: { fullName: adult.name, phoneNumber: adult.phoneNumber, birthYear, birthMonth, birthDay } }),
        client: { userAgent: 'test' },
      }),
    });
    const answer = (await response.json()) as { windowUrl: string };
    await page.goto(`${sandbox.url}${answer.windowUrl}`);
    const scan = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(scan.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], JSON.stringify(bypass));
  }
});

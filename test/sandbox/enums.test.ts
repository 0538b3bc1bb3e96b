// Enum values are checked where they arrive, as PortOne checks them: REST currencies (and every
// other enum, by the request schemas), and the payment window's `locale` against the browser SDK's
// `Locale` (one KG Inicis cannot show is shown in Korean, noted in the window).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentError } from '@portone/browser-sdk/v2';
import { PreRegisterPaymentError } from '@portone/server-sdk/payment';
import { clientFor, rejection, withSandbox } from './support.js';

test('REST: an unknown currency is INVALID_REQUEST, and nothing is registered', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  const won = await rejection(payment.preRegisterPayment({ paymentId: 'e-1', totalAmount: 1_000, currency: 'WON' as 'KRW' }));
  assert.ok(won instanceof PreRegisterPaymentError);
  assert.equal(won.data.type, 'INVALID_REQUEST');
  assert.match(won.message, /`currency`: expected one of .*got "WON"/);
  // Had it been kept, this window (in KRW) would be refused as not matching a WON pre-registration.
  assert.equal((await sandbox.pay({ paymentId: 'e-1', totalAmount: 1_000 })).code, undefined);
  const confirm = await rejection(payment.confirmPayment({ paymentId: 'e-1', paymentToken: 't', currency: 'KRW ' as 'KRW' }));
  assert.equal(confirm.data.type, 'INVALID_REQUEST');
});

test('window: locale must be one of the browser SDK\'s; a known one KG Inicis lacks is shown in Korean with a note', async (t) => {
  const sandbox = await withSandbox(t);
  const unknown = await rejection(sandbox.pay({ paymentId: 'e-2', totalAmount: 1_000, locale: 'XX_YY' as 'KO_KR' }));
  assert.ok(unknown instanceof PaymentError);
  assert.equal(unknown.code, 'BadRequest');
  assert.match(unknown.message, /`locale`: expected one of the browser SDK's locales \(KO_KR, EN_US, .*AR_001\), got "XX_YY"/);
  assert.equal(sandbox.payment('e-2'), undefined, 'refused before any window');
  for (const locale of ['JA_JP', 'AR_001', 'EN_US'] as const) {
    const response = await fetch(`${sandbox.url}/checkout/prepare`, {
      method: 'POST',
      body: JSON.stringify({ transactionType: 'PAYMENT', request: { storeId: sandbox.storeId, channelKey: sandbox.channelKeys.payment, paymentId: `e-${locale}`, orderName: 'x', totalAmount: 1_000, currency: 'KRW', payMethod: 'CARD', locale, customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'a@example.com' } }, client: { userAgent: 'test' } }),
    });
    const { windowUrl } = (await response.json()) as { windowUrl: string };
    const page = await (await fetch(`${sandbox.url}${windowUrl}`)).text();
    if (locale === 'EN_US') assert.match(page, /<html lang="en">/);
    else {
      assert.match(page, /<html lang="ko">/);
      assert.match(page, new RegExp(`locale ${locale}: KG이니시스 PC 결제창에서 지원하지 않아 한국어로 표시합니다`));
    }
  }
  const billing = await rejection(sandbox.issueBillingKeyAndPay({ paymentId: 'e-3', totalAmount: 1_000, locale: 'KLINGON' as 'KO_KR' }));
  assert.match(billing.message, /`locale`: expected one of the browser SDK's locales/, 'checked even where KG Inicis ignores it');
});

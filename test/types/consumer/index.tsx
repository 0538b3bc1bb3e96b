// Every entry point a page or a shop's server imports, used as the README shows, in a project that
// checks every declaration (test/frameworks/types.fw.ts compiles it against the built package).
import {
  PortonePaymentButton,
  setSdkUrl,
  type CartItem,
  type ErrorResponse,
  type PortoneIdentityVerificationButton,
  type PortoneIdentityVerifiedEvent,
  type PortonePaidEvent,
} from 'portone-checkout-kit';
import { CHECKOUT_ELEMENTS } from 'portone-checkout-kit/define';
import { PortoneBillingKeyButton } from 'portone-checkout-kit/portone-checkout.js';
import { checkInicisRequest } from 'portone-checkout-kit/inicis';
import { createCheckoutServer } from 'portone-checkout-kit/server';
import { toNodeListener } from 'portone-checkout-kit/server/node';
import { IdentityVerificationButton, PaymentButton } from 'portone-checkout-kit/react';
import { createSandbox, type Sandbox } from 'portone-checkout-kit/sandbox';

const cart: CartItem[] = [{ id: 'beans', quantity: 1 }];
setSdkUrl('https://cdn.portone.io/v2/browser-sdk.js');

export function onPaid(event: PortonePaidEvent): string {
  return event.detail.order?.status ?? event.detail.paymentId;
}

export function page(button: PortonePaymentButton): void {
  button.items = cart;
  button.request = { isEscrow: true, card: { installment: { monthOption: { fixedMonth: 3 } } } };
  button.addEventListener('portone-paid', onPaid);
  document.addEventListener('portone-fail', (event) => console.warn(event.detail.code, event.detail.message));
}

export function adultsOnly(button: PortoneIdentityVerificationButton): void {
  button.inicisDirectAgency = 'PASS';
  button.request = { customData: 'adult-check' };
  button.addEventListener('portone-identity-verified', (event: PortoneIdentityVerifiedEvent) => console.log(event.detail.identityVerification?.verifiedAt));
}

export const refusal = (error: ErrorResponse): string | undefined => error.shopperMessage;

export const checkedIdentity = checkInicisRequest('identity-verification', { storeId: 's', identityVerificationId: 'iv', bypass: { inicisUnified: { flgFixedUser: 'N' } } }, 'mobile');
export const checked = checkInicisRequest('payment', { storeId: 's', paymentId: 'p', orderName: 'x', totalAmount: 1000, currency: 'KRW', payMethod: 'CARD' }, 'pc');
export const kit = createCheckoutServer(() => ({
  portone: { apiSecret: 'secret', storeId: 'store' },
  webhookSecret: 'whsec',
  priceOrder: () => ({ orderName: '커피 원두 1kg', totalAmount: 32_000, currency: 'KRW' as const }),
}));
export const listener = toNodeListener(kit);
export const sandbox: Promise<Sandbox> = createSandbox({ clock: 'manual' });
export async function paidInTheSandbox(running: Sandbox): Promise<string | undefined> {
  const result = await running.pay({ paymentId: 'order-1', orderName: '원두 1kg', totalAmount: 32_000 });
  return result.code ?? (running.payment(result.paymentId)?.status === 'PAID' ? 'paid' : 'not paid');
}
export async function adultInTheSandbox(running: Sandbox): Promise<string | undefined> {
  const result = await running.verifyIdentity({ identityVerificationId: 'iv-1' }, { result: 'approve', person: 'minor' });
  const verification = running.identityVerification(result.identityVerificationId);
  return verification?.status === 'VERIFIED' ? verification.verifiedCustomer.birthDate : result.code;
}
export const tags = [CHECKOUT_ELEMENTS['portone-payment-button'], CHECKOUT_ELEMENTS['portone-identity-verification-button'], PortoneBillingKeyButton];

export function Checkout() {
  return (
    <>
      <PaymentButton endpoint="/portone" items={cart} onPaid={onPaid} onFail={(event) => console.warn(event.detail.readableMessage)} />
      <portone-billing-key-button endpoint="/portone" plan="monthly" onportone-billing-key-issued={(event) => console.log(event.detail.billingKey)} />
      <IdentityVerificationButton endpoint="/portone" inicisFixedUser customerBirthDate="1990-01-31" onIdentityVerified={(event) => console.log(event.detail.identityVerificationId)} />
      <portone-identity-verification-button endpoint="/portone" onportone-identity-verified={(event) => console.log(event.detail.identityVerification?.status)} />
    </>
  );
}

// The checkout page: one cart, the kit prices it under /portone, the element pays and reports.
// `$event` is typed from GlobalEventHandlersEventMap, where the package registers its events.
import { CUSTOM_ELEMENTS_SCHEMA, Component, signal } from '@angular/core';
import type { CartItem, PortoneFailEvent, PortonePaidEvent } from 'portone-checkout-kit';

@Component({
  selector: 'shop-checkout',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <h1>주문·결제</h1>
    <p>커피 원두 1kg × 1 · 32,000원</p>
    <portone-payment-button
      endpoint="/portone"
      [items]="cart"
      customer-name="홍길동"
      customer-phone="010-1234-5678"
      customer-email="hong@example.com"
      (portone-paid)="paid($event)"
      (portone-fail)="failed($event)"
      (portone-cancel)="outcome.set('결제를 취소했습니다.')"
      >32,000원 결제하기</portone-payment-button
    >
    <p data-outcome>{{ outcome() }}</p>
  `,
})
export class Checkout {
  readonly cart: CartItem[] = [{ id: 'beans', quantity: 1 }];
  readonly outcome = signal('');

  paid(event: PortonePaidEvent): void {
    this.outcome.set(`결제 완료: ${event.detail.order?.orderName} (${event.detail.paymentId})`);
  }

  failed(event: PortoneFailEvent): void {
    this.outcome.set(event.detail.readableMessage);
  }
}

// What the two buttons that take money share on top of the base: the order's id, name and amounts,
// and the cart the kit prices in the server-priced flow.
import type { PropertyDeclarations } from '@lit/reactive-element';
import type { CartItem, PrepareRequest } from '../../contract.js';
import { buildCustomer, checkoutCustomer, parseItems } from '../../client/request.js';
import type { Violation } from '../../inicis/violation.js';
import { PaymentCheckoutElement } from './payment-checkout-element.js';

/** Lit's Number converter turns "" into 0; an empty or missing amount must stay unset. */
export const amount = {
  fromAttribute: (value: string | null) => (value === null || value.trim() === '' ? undefined : Number(value.replace(/[,_\s]/g, ''))),
};

/**
 * Base of `<portone-payment-button>` and `<portone-billing-key-and-pay-button>`.
 *
 * @fires {PortonePaidEvent} portone-paid - Paid (verified by the kit with `endpoint`).
 * @fires {PortoneIncompleteEvent} portone-incomplete - With `endpoint`, nothing to price yet (no `items` or `order-id`, or for billing-key-and-pay `plan`): the element waits in `state="incomplete"`, its button disabled.
 */
export abstract class OrderCheckoutElement<K extends 'payment' | 'billing-key-and-pay'> extends PaymentCheckoutElement<K> {
  static override properties: PropertyDeclarations = {
    paymentId: { attribute: 'payment-id' },
    orderName: { attribute: 'order-name' },
    totalAmount: { attribute: 'total-amount', converter: amount },
    taxFreeAmount: { attribute: 'tax-free-amount', converter: amount },
    vatAmount: { attribute: 'vat-amount', converter: amount },
    items: { attribute: 'items' },
    orderId: { attribute: 'order-id' },
  };

  /** `paymentId`: unique per order, printable ASCII. With `endpoint`, the kit's id is used. */
  paymentId?: string;
  /** `orderName`, shown in the window; KG Inicis keeps 40 bytes. With `endpoint`, the kit's name is used. */
  orderName?: string;
  /** `totalAmount` in minor units. Ignored with `endpoint`: the kit prices the order. */
  totalAmount?: number;
  /** `taxFreeAmount` (needs a KG Inicis contract). Ignored with `endpoint`. */
  taxFreeAmount?: number;
  /** `vatAmount` (needs a KG Inicis contract). Ignored with `endpoint`. */
  vatAmount?: number;
  /** With `endpoint`: the cart for the kit to price, as JSON `[{"id": "sku-1", "quantity": 2}]` (property: an array). */
  items?: string | CartItem[];
  /** With `endpoint`: an order the shop created earlier, instead of `items`. */
  orderId?: string;

  protected readonly ids = ['paymentId', 'previousPaymentId'] as const satisfies readonly [string, keyof PrepareRequest];

  protected ownId(): string | undefined {
    return this.paymentId;
  }

  /** The kit prices a cart or a shop's order: without either there is nothing to prepare. */
  protected override missing(): string[] | undefined {
    return this.items?.length || this.orderId ? undefined : ['items', 'order-id'];
  }

  /** The prepare body both kinds send: the cart or order, the shopper and the method. */
  protected orderPrepareBody(violations: Violation[], payMethod: string): PrepareRequest {
    return {
      items: parseItems(this.items, violations),
      orderId: this.orderId || undefined,
      customer: checkoutCustomer(buildCustomer(this)),
      payMethod,
    };
  }
}

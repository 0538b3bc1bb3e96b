// The shop's own JSON API (besides the kit's /portone routes), shared by server and pages.
import type { OrderStatus } from 'portone-checkout-kit';
import type { FailureInfo, OrderKind, OrderLine, Subscription, VirtualAccountInfo } from 'portone-checkout-kit/server';
import type { FulfilmentStatus } from '../server/shop-db.js';

/** `GET /api/me/orders/{paymentId}`: one of the member's orders, as they may see it. */
export interface ShopperOrder {
  paymentId: string;
  /** The shop's order number. */
  reference?: string | undefined;
  kind: OrderKind;
  status: OrderStatus;
  orderName: string;
  totalAmount: number;
  cancelledAmount: number;
  currency: string;
  payMethod?: string | undefined;
  plan?: string | undefined;
  lines: OrderLine[];
  paidAt?: string | undefined;
  createdAt: number;
  virtualAccount?: VirtualAccountInfo | undefined;
  failure?: FailureInfo | undefined;
  /** For a FLAGGED order (its payment did not match it): whether the money has been refunded. Not why: that is for the shop. */
  flag?: { refunded: boolean } | undefined;
  fulfilment?: FulfilmentStatus | undefined;
}

/** `GET /api/me/orders/{paymentId}`: the order, and the subscription it charges a period of. */
export interface MyOrder {
  order: ShopperOrder;
  subscription?: Subscription | undefined;
}

/** `GET /api/me/orders`. */
export interface MyOrders {
  orders: ShopperOrder[];
  subscriptions: Subscription[];
}

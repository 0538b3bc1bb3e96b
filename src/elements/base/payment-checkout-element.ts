// What the three buttons that open a payment window share on top of the base: the currency, the
// window's language, webhook URLs, the offer period and the product type. Identity verification
// takes none of these, so they are not on the base.
import type { PropertyDeclarations } from '@lit/reactive-element';
import type { OfferPeriod } from '../../client/portone-types.js';
import type { RequestKind } from '../../client/request.js';
import { CheckoutElement } from './checkout-element.js';

/** Base of `<portone-payment-button>`, `<portone-billing-key-button>` and `<portone-billing-key-and-pay-button>`. */
export abstract class PaymentCheckoutElement<K extends Exclude<RequestKind, 'identity-verification'>> extends CheckoutElement<K> {
  static override properties: PropertyDeclarations = {
    currency: { attribute: 'currency' },
    locale: { attribute: 'locale' },
    noticeUrls: { attribute: 'notice-urls' },
    offerPeriod: { attribute: 'offer-period' },
    productType: { attribute: 'product-type' },
  };

  /** `KRW` or `USD` (minor units: KRW ×1, USD ×100). */
  currency = 'KRW';
  /** Language of the window: `KO_KR`, `EN_US`, `ZH_CN` (PC). */
  locale?: string;
  /** Webhook URLs for this attempt, space-separated (property: an array). */
  noticeUrls?: string | string[];
  /** An interval (`1m`, `1y`) or a range `from/to` (property: also an `OfferPeriod` object). */
  offerPeriod?: string | OfferPeriod;
  /** `REAL` or `DIGITAL`; KG Inicis needs it for phone payments. */
  productType?: string;
}

// Entry of the single-file bundle dist/portone-checkout.js (Lit's ReactiveElement included): registers the three
// elements for `<script type="module">` pages and exposes what such a page may need.
import './define.js';

export { PortonePaymentButton, PortoneBillingKeyButton, PortoneBillingKeyAndPayButton } from './define.js';
export { setSdkUrl } from './client/loader.js';

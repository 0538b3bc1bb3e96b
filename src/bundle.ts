// Entry of the single-file bundle dist/portone-checkout.js (Lit's ReactiveElement included): registers the four
// elements for `<script type="module">` pages and exposes what such a page may need.
import './define.js';

export { PortonePaymentButton, PortoneBillingKeyButton, PortoneBillingKeyAndPayButton, PortoneIdentityVerificationButton } from './define.js';
export { setSdkUrl } from './client/loader.js';

// The Svelte 5 shop: registers the checkout elements, points them at the PortOne sandbox when the
// build names one, and mounts the app.
import { mount } from 'svelte';
import 'portone-checkout-kit/define';
import { setSdkUrl } from 'portone-checkout-kit';
import App from './App.svelte';

// Unset in production: the elements load PortOne's CDN runtime.
if (import.meta.env.VITE_PORTONE_SDK_URL) setSdkUrl(import.meta.env.VITE_PORTONE_SDK_URL);

mount(App, { target: document.getElementById('app')! });

// The Vue 3 shop: registers the checkout elements, points them at the PortOne sandbox when the
// build names one, and mounts the app with its two routes.
import { createApp } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import 'portone-checkout-kit/define';
import { setSdkUrl } from 'portone-checkout-kit';
import App from './App.vue';
import Home from './pages/Home.vue';
import Checkout from './pages/Checkout.vue';

// Unset in production: the elements load PortOne's CDN runtime.
if (import.meta.env.VITE_PORTONE_SDK_URL) setSdkUrl(import.meta.env.VITE_PORTONE_SDK_URL);

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: Home },
    { path: '/checkout', component: Checkout },
  ],
});

createApp(App).use(router).mount('#app');

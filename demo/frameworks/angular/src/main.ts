// The Angular 21 shop: registers the checkout elements, points them at the PortOne sandbox when the
// build names one (`ng build --define PORTONE_SDK_URL=…`), and starts the app with its two routes.
import { bootstrapApplication } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import 'portone-checkout-kit/define';
import { setSdkUrl } from 'portone-checkout-kit';
import { App } from './app/app';
import { Home } from './app/home';
import { Checkout } from './app/checkout';

declare const PORTONE_SDK_URL: string | undefined;
// Unset in production: the elements load PortOne's CDN runtime.
if (typeof PORTONE_SDK_URL === 'string') setSdkUrl(PORTONE_SDK_URL);

bootstrapApplication(App, {
  providers: [
    provideRouter([
      { path: '', component: Home },
      { path: 'checkout', component: Checkout },
    ]),
  ],
}).catch((error: unknown) => console.error(error));

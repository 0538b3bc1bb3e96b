// The Hono environment every route of the shop shares: what the shop's middlewares put on a request
// for the routes after them (the app's and the admin's alike).
import type { Lang } from '../shared/i18n.js';

export type ShopEnv = { Variables: { memberId: string | undefined; lang: Lang } };

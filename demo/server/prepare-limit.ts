// The shop's `beforePrepare`: a flood of prepares (each one an order row, and with pre-registration
// a call to PortOne) from one shopper or one address is turned away before anything is priced or
// stored, with the kit's documented 429 and a message written for the shopper, in their language.
import { parse } from 'hono/utils/cookie';
import { CheckoutError } from 'portone-checkout-kit/server';
import { isLang, t } from '../shared/i18n.js';
import { addressKey, clientOf } from './clients.js';
import { TokenBuckets } from './limits.js';
import { memberIdOf } from './members.js';
import type { PrepareLimit } from './options.js';
import type { ShopDb } from './shop-db.js';

/** One address may stand for many shoppers (an office, a mobile carrier's NAT): it gets this many times a shopper's limit. */
export const ADDRESS_FACTOR = 5;

export interface PrepareLimitDeps {
  limit: PrepareLimit;
  db: ShopDb;
  log: (line: string) => void;
  /** The cookie the shopper's language is in. */
  langCookie: string;
  maxKeys?: number;
  now?: () => number;
}

export type BeforePrepare = (request: Request) => void;

/**
 * A token bucket per signed-in shopper (their session's member) and one per client address (IPv6
 * by /64), the larger; a prepare needs a token from both. A client that drops its cookie still
 * meets its address's bucket.
 */
export function prepareLimiter({ limit, db, log, langCookie, maxKeys, now }: PrepareLimitDeps): BeforePrepare {
  const shared = { ...(maxKeys !== undefined ? { maxKeys } : {}), ...(now ? { now } : {}) };
  const shoppers = new TokenBuckets({ burst: limit.burst, perMinute: limit.perMinute, ...shared });
  const addresses = new TokenBuckets({ burst: limit.burst * ADDRESS_FACTOR, perMinute: limit.perMinute * ADDRESS_FACTOR, ...shared });

  return (request) => {
    const client = clientOf(request);
    // The kit must hand beforePrepare the request the shop gave it: fail loudly (a 500 and the
    // kit's log line) rather than let every prepare through unlimited.
    if (!client) throw new Error('beforePrepare: this request did not come through the shop’s middleware (no client address tagged on it)');
    const memberId = memberIdOf(request, db);
    const checks: [TokenBuckets, string, string][] = [
      ...(memberId ? [[shoppers, memberId, `shopper ${memberId}`] as [TokenBuckets, string, string]] : []),
      [addresses, addressKey(client.address), `address ${addressKey(client.address)}`],
    ];
    for (const [buckets, key, who] of checks) {
      const refusal = buckets.take(key);
      if (!refusal) continue;
      if (refusal.first) {
        const scale = buckets === addresses ? ADDRESS_FACTOR : 1;
        log(`prepare refused (429 RATE_LIMITED) for ${who}: over ${limit.burst * scale} at once and ${limit.perMinute * scale} a minute; further refusals of this streak are not logged`);
      }
      // The elements show a 4xx message to the shopper as it is: this one is written for them.
      const lang = parse(request.headers.get('cookie') ?? '', langCookie)[langCookie];
      throw new CheckoutError('RATE_LIMITED', t(isLang(lang) ? lang : 'ko', 'checkout.rateLimited'), { status: 429, retryAfterSeconds: refusal.retryAfterSeconds });
    }
  };
}

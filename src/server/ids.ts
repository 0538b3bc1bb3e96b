// The ids the kit issues (paymentId, orderId, customer, issue and subscription ids), and reading the
// kit's own ids back from the `customData` PortOne keeps with a payment or billing key.

/** Base 62 in ASCII order, so fixed-width numbers written in it sort as the numbers do (8 digits: until the year 8800). */
const SORTED_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An unguessable id: prefix, `_`, the creation time (milliseconds, 8 characters that sort as the time
 * does), then 22 base64url characters (128 random bits) — 34 characters, printable ASCII as PortOne
 * requires. Ids made about the same time sort together, so each write lands in the few index pages
 * the last ones touched instead of a random page of every index keyed by it (orders, their events).
 */
export function newId(prefix: 'pay' | 'ord' | 'iss' | 'cus' | 'sub' | 'idv', now: number = Date.now()): string {
  let time = '';
  for (let rest = Math.max(0, Math.trunc(now)), i = 0; i < 8; i++, rest = Math.floor(rest / 62)) time = SORTED_DIGITS[rest % 62] + time;
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `${prefix}_${time}${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/**
 * One of the kit's ids from PortOne's `customData` (a JSON string there, an object in the browser):
 * `orderId` on payments, `issueId` on billing keys. Anything else is no id.
 */
export function customDataId(customData: string | undefined, field: 'orderId' | 'issueId'): string | undefined {
  if (typeof customData !== 'string') return undefined;
  try {
    const value = (JSON.parse(customData) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    // Not JSON: it cannot name anything.
    return undefined;
  }
}

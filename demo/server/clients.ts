// Who is asking: the client's address, for the per-client limits. It is the socket's, unless the
// shop was told a reverse proxy stands in front (`--trust-proxy`): then the address that proxy
// appended to X-Forwarded-For. Without that flag the header is ignored, since anyone can send it.
import { isIP } from 'node:net';

/**
 * The client's address. Behind a trusted proxy, the last X-Forwarded-For entry: the one the proxy
 * itself appended (entries before it are whatever the client claimed). Exactly one proxy hop is
 * trusted; a chain of proxies would need the count of hops, which this shop does not take.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustProxy: boolean): string {
  if (trustProxy && forwardedFor) {
    const last = forwardedFor.split(',').at(-1)!.trim();
    if (isIP(last)) return last;
  }
  return socketAddress ?? 'unknown';
}

/**
 * The key limits count a client's address under. One IPv6 user holds a whole /64 (and can hop
 * between its addresses at will), so IPv6 addresses count by their /64; an IPv4-mapped IPv6
 * address (`::ffff:203.0.113.9`) counts as its IPv4 address.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  // Expand `::` to the zero groups it stands for, then keep the first four groups.
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  // A dotted IPv4 tail (`64:ff9b::192.0.2.1`) stands for two groups.
  const width = (list: string[]) => list.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - width(headGroups) - width(tailGroups)).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** What the shop's middleware learned about a request, for code that only gets the Request (the kit's hooks). */
export interface RequestClient {
  address: string;
}

const clients = new WeakMap<Request, RequestClient>();

/** Remembers the client of a request before it is handed to the kit. */
export function tagRequest(request: Request, client: RequestClient): void {
  clients.set(request, client);
}

/** The client tagged on this request, or undefined when it did not come through the shop's middleware. */
export function clientOf(request: Request): RequestClient | undefined {
  return clients.get(request);
}

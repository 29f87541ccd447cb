import { isIPv4, isIPv6 } from 'node:net';

/** Expands an IPv6 address (no zone) to its eight 16-bit groups; an embedded IPv4 tail counts as two groups. */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const part = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const front = part(head);
  if (tail === undefined) return front;
  const back = part(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The client network a login lock and the login rate limits count by: an IPv6 address's /64 prefix (one
 * subscriber's usual allocation: its addresses are one client), an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) its
 * IPv4 address, an IPv4 address itself. Anything else (not an IP address) is kept as it is.
 *
 * Example: `clientNetwork('2001:db8:1:2::9')` → `'2001:db8:1:2::/64'`; `clientNetwork('::ffff:1.2.3.4')` → `'1.2.3.4'`
 */
export function clientNetwork(ip: string): string {
  if (isIPv4(ip)) return ip;
  const address = ip.replace(/%.*$/, ''); // a zone index (fe80::1%eth0) names the interface, not the client
  if (!isIPv6(address)) return ip;
  const groups = ipv6Groups(address.toLowerCase());
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * What the audit log keeps of a client's address: its network, an IPv4 address's /24 and an IPv6 address's /48 (an
 * IPv4-mapped IPv6 address as IPv4) — the log is kept for the life of the warehouse, so it keeps no address that
 * tells one subscriber from another; the login lock's own unit (`clientNetwork`) stays in `login_attempts` alone,
 * which retention purges. Anything that is not an IP address is `unknown`.
 *
 * Example: `auditedNetwork('203.0.113.9')` → `'203.0.113.0/24'`; `auditedNetwork('2001:db8:1:2::9')` → `'2001:db8:1::/48'`
 */
export function auditedNetwork(ip: string): string {
  const network = clientNetwork(ip);
  if (isIPv4(network)) return `${network.split('.').slice(0, 3).join('.')}.0/24`;
  if (!network.endsWith('::/64')) return 'unknown';
  return `${network.split(':').slice(0, 3).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/48`;
}

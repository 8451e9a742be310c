import { isIPv6 } from 'node:net';

/**
 * The key a per-client limit counts under: an IPv4 address as it is (also when it arrives
 * IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address by its /64 — one subscriber or one LAN is
 * given a whole /64, so counting single IPv6 addresses would give one client 2^64 budgets.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros. */
function expandIPv6(address: string): string[] {
  const plain = address.replace(/%.*$/, '').toLowerCase();
  const [head, tail] = plain.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => (/^[0-9a-f]+$/.test(g) ? String(parseInt(g, 16).toString(16)) : g));
}

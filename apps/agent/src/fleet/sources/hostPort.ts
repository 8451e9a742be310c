import { isIPv6 } from 'node:net';

export type PeerScheme = 'http' | 'https';

export interface HostPort {
  /** A name or an IP address, IPv6 without brackets. */
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([^\]]+)\]|([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?)):(\d{1,5})$/;

/**
 * Reads a Prometheus-style `host:port` target (`[v6]:port` for IPv6). Only name characters are
 * allowed in the host: it is pasted into a URL, where `@`, `/` or `#` would change its meaning.
 */
export function parseHostPort(text: string): HostPort {
  const match = HOST_PORT.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  if (!match || host === undefined) throw new Error(`"${text}" is not host:port (an IPv6 address in brackets: [fd00::1]:7300)`);
  if (match[1] !== undefined && !isIPv6(host)) throw new Error(`"${text}": ${host} in brackets is not an IPv6 address`);
  return { host, port: checkPort(Number(match[3]), text) };
}

/** Refuses port 0 and ports above 65535: a peer has to listen somewhere one can connect to. */
function checkPort(port: number, text: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${text}": port ${port} is not between 1 and 65535`);
  return port;
}

/**
 * The target's identity, scheme://host:port: spelled by the WHATWG URL parser (lower-case name,
 * shortest IPv6 form in brackets) so that two spellings of one peer are one target.
 */
export function baseUrl(scheme: PeerScheme, host: string, port: number): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const url = new URL(`${scheme}://${isIPv6(bare) ? `[${bare}]` : bare}:${port}`);
  return `${scheme}://${url.hostname}:${port}`;
}

/** host:port as a person reads it, the URL's host and port (IPv6 in brackets). */
export function hostPortOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'http:' ? '80' : '443');
  return `${parsed.hostname}:${port}`;
}

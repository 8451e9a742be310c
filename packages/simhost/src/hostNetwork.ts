import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { HostNetworkSpec } from './hostProfile';
import type { SimPaths } from './simPaths';

/** /proc/net/route's header, as the kernel prints it (fib_route_seq_show pads each line to 127 characters). */
const ROUTE_HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';
const pad = (line: string) => `${line.padEnd(127)}\n`;

/** A dotted quad as /proc/net/route prints it: the 32-bit value in host (little-endian) byte order, hex. */
export function routeHex(dotted: string): string {
  const bytes = dotted.split('.').map((p) => Number.parseInt(p, 10));
  if (bytes.length !== 4 || bytes.some((b) => !(b >= 0 && b <= 255))) throw new Error(`not an IPv4 address: ${dotted}`);
  return bytes
    .reverse()
    .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

function maskOf(prefix: number): string {
  const value = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return routeHex([24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.'));
}

/** The text of /proc/net/route for a host whose default route leaves by `network.defaultRouteVia`. */
export function procNetRoute(network: HostNetworkSpec | undefined): string {
  if (!network) return pad(ROUTE_HEADER);
  const [subnet, prefixText] = network.subnet.split('/');
  const prefix = Number.parseInt(prefixText ?? '24', 10);
  const via = network.defaultRouteVia;
  // RTF_UP | RTF_GATEWAY for the default route, RTF_UP for the connected subnet.
  const lines = [
    [via, '00000000', routeHex(network.gateway), '0003', '0', '0', '0', '00000000', '0', '0', '0'],
    [via, routeHex(subnet!), '00000000', '0001', '0', '0', '0', maskOf(prefix), '0', '0', '0'],
  ];
  return [ROUTE_HEADER, ...lines.map((l) => l.join('\t'))].map(pad).join('');
}

/**
 * The host's network as the tests and the checks read it: /proc/net/route, and a Linux bridge
 * (sys/devices/virtual/net/<br>) whose brif/<port> links point at each port's brport/, with the
 * `lower_`/`upper_` and `master` links the kernel adds when a port joins. Written after boot,
 * once the ports' netdevs exist; a port that does not exist is left out.
 */
export function writeHostNetwork(root: string, paths: SimPaths, network: HostNetworkSpec | undefined): void {
  mkdirSync(join(root, 'proc', 'net'), { recursive: true });
  writeFileSync(join(root, 'proc', 'net', 'route'), procNetRoute(network));
  const bridge = network?.bridge;
  if (!bridge) return;
  const brDir = join(paths.virtualNet, bridge.name);
  mkdirSync(join(brDir, 'brif'), { recursive: true });
  mkdirSync(join(brDir, 'bridge'), { recursive: true });
  writeFileSync(join(brDir, 'operstate'), 'up\n');
  writeFileSync(join(brDir, 'type'), '1\n');
  writeFileSync(join(brDir, 'bridge', 'stp_state'), '0\n');
  symlinkSync(relative(paths.classNet, brDir), join(paths.classNet, bridge.name));
  for (const port of bridge.ports) {
    const classLink = join(paths.classNet, port);
    if (!existsSync(classLink)) continue;
    const portDir = realpathSync(classLink);
    mkdirSync(join(portDir, 'brport'), { recursive: true });
    symlinkSync(relative(join(brDir, 'brif'), join(portDir, 'brport')), join(brDir, 'brif', port));
    symlinkSync(relative(brDir, portDir), join(brDir, `lower_${port}`));
    symlinkSync(relative(portDir, brDir), join(portDir, `upper_${bridge.name}`));
    symlinkSync(relative(portDir, brDir), join(portDir, 'master'));
  }
}

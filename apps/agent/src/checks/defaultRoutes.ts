/** One IPv4 default route of /proc/net/route. */
export interface DefaultRoute {
  iface: string;
  /** The gateway as the kernel prints it: hex, host byte order (010200C0 is 192.0.2.1 on x86). */
  gatewayHex: string;
}

/**
 * The IPv4 default routes, from /proc/net/route: a header line, then `Iface Destination Gateway
 * Flags RefCnt Use Metric Mask MTU Window IRTT` separated by tabs, addresses in hex. A default
 * route has Destination and Mask 00000000 and the RTF_UP flag (0x1).
 */
export function defaultRoutes(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [iface, destination, gateway, flags, , , , mask] = fields;
    const up = (Number.parseInt(flags!, 16) & 0x1) !== 0;
    if (up && destination === '00000000' && mask === '00000000') out.push({ iface: iface!, gatewayHex: gateway! });
  }
  return out;
}

/** The interfaces that hold a default route, each once. */
export function defaultRouteInterfaces(text: string): string[] {
  return [...new Set(defaultRoutes(text).map((r) => r.iface))];
}

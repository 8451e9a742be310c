/**
 * The interfaces that hold an IPv4 default route, from /proc/net/route: a header line, then
 * `Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT` separated by tabs,
 * addresses in hex. A default route has Destination and Mask 00000000 and the RTF_UP flag (0x1).
 */
export function defaultRouteInterfaces(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [iface, destination, , flags, , , , mask] = fields;
    const up = (Number.parseInt(flags!, 16) & 0x1) !== 0;
    if (up && destination === '00000000' && mask === '00000000' && !out.includes(iface!)) out.push(iface!);
  }
  return out;
}

import type { Netdev } from '@vfmap/model';

/** 100000 → "100 Gb/s", 2500 → "2.5 Gb/s", 100 → "100 Mb/s" (sysfs `speed` is in Mb/s). */
export function formatSpeed(mbps: number | null): string | null {
  if (mbps === null || mbps <= 0) return null;
  if (mbps < 1000) return `${mbps} Mb/s`;
  const gbps = mbps / 1000;
  return `${Number.isInteger(gbps) ? gbps : gbps.toFixed(1)} Gb/s`;
}

/** "ens1f0 up 100 Gb/s", "ens1f1 down" — what a PF label says about its link. */
export function formatLink(netdev: Netdev): string {
  const speed = netdev.operState === 'up' ? formatSpeed(netdev.speedMbps) : null;
  return [netdev.name, netdev.operState ?? 'state unknown', speed].filter(Boolean).join(' ');
}

export function formatNuma(node: number | null): string {
  return node === null ? 'NUMA ?' : `NUMA ${node}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 25000 → "25G", 2500 → "2.5G", 100 → "100M": a link speed where a column has little room. */
export function shortSpeed(mbps: number | null): string | null {
  if (mbps === null || mbps <= 0) return null;
  if (mbps < 1000) return `${mbps}M`;
  const gbps = mbps / 1000;
  return `${Number.isInteger(gbps) ? gbps : Number(gbps.toFixed(1))}G`;
}

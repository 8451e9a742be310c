import { pfSpeedMbps, vfState, type FleetVf, type FleetVfList, type HostSummary, type Topology } from '@vfmap/model';

export interface FleetVfQuery {
  free?: boolean | undefined;
  /** A vendor id (hex) or any part of its pci.ids name, any case. */
  vendor?: string | undefined;
  /** The PF's device id (hex) or any part of its model name. */
  device?: string | undefined;
  numaNode?: number | undefined;
  minSpeedMbps?: number | undefined;
  /** A PF or VF address, or its beginning ("0000:18" finds every PF on bus 18; a VF's address finds that VF). */
  pf?: string | undefined;
  /** The host's id, its hostname, or the hostname's first label; any case. */
  host?: string | undefined;
  limit: number;
}

export interface SearchedHost {
  summary: HostSummary;
  topology: Topology | null;
}

/** An id given in hex matches exactly; anything else matches any part of the name. */
function matchesIdOrName(wanted: string, id: string, name: string | null): boolean {
  const w = wanted.trim().toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{4}$/.test(w) && w === id.toLowerCase()) return true;
  return name !== null && name.toLowerCase().includes(wanted.trim().toLowerCase());
}

/**
 * Every VF of the fleet that matches the query, free ones first, then by host and address. Each
 * host is searched in the last topology known of it; a stale host's VFs say so.
 */
function hostMatches(summary: HostSummary, wanted: string): boolean {
  const w = wanted.toLowerCase();
  const name = summary.hostname.toLowerCase();
  return summary.id.toLowerCase() === w || name === w || name.split('.')[0] === w;
}

export function searchFleet(hosts: SearchedHost[], query: FleetVfQuery): FleetVfList {
  const found: FleetVf[] = [];
  const address = query.pf?.toLowerCase();
  for (const { summary, topology } of hosts) {
    if (!topology || (query.host !== undefined && !hostMatches(summary, query.host))) continue;
    for (const pf of topology.pfs) {
      const wholePf = address === undefined || pf.address.startsWith(address);
      if (!wholePf && !pf.vfs.some((vf) => vf.address.startsWith(address))) continue;
      if (query.vendor !== undefined && !matchesIdOrName(query.vendor, pf.vendorId, pf.vendorName)) continue;
      if (query.device !== undefined && !matchesIdOrName(query.device, pf.deviceId, pf.deviceName)) continue;
      const speedMbps = pfSpeedMbps(pf);
      if (query.minSpeedMbps !== undefined && (speedMbps === null || speedMbps < query.minSpeedMbps)) continue;
      for (const vf of pf.vfs) {
        if (!wholePf && !vf.address.startsWith(address!)) continue;
        const numaNode = vf.numaNode ?? pf.numaNode;
        if (query.numaNode !== undefined && numaNode !== query.numaNode) continue;
        const state = vfState(vf, topology);
        if (query.free !== undefined && (state === 'free') !== query.free) continue;
        found.push({
          host: summary.id,
          hostname: summary.hostname,
          hostStatus: summary.status,
          pf: pf.address,
          vf: vf.address,
          index: vf.index,
          state,
          vendorId: pf.vendorId,
          deviceId: pf.deviceId,
          vendorName: pf.vendorName,
          deviceName: pf.deviceName,
          numaNode,
          speedMbps,
          pfNetdev: pf.netdevs[0]?.name ?? null,
          driver: vf.driver,
          holder: vf.holder,
        });
      }
    }
  }
  const rank = { free: 0, unavailable: 1, assigned: 2 } as const;
  found.sort((a, b) => rank[a.state] - rank[b.state] || a.hostname.localeCompare(b.hostname) || a.vf.localeCompare(b.vf));
  return {
    vfs: found.slice(0, query.limit),
    total: found.length,
    hosts: hosts.map(({ summary, topology }) => ({ id: summary.id, status: summary.status, searched: topology !== null })),
  };
}

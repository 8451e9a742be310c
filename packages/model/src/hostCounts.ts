import type { HostCapacity, HostCounts } from './fleet';
import type { Pf, Topology } from './topology';
import { vfState } from './vfState';

/** The fastest link among a PF's interfaces, or null when none is up. */
export function pfSpeedMbps(pf: Pf): number | null {
  let best: number | null = null;
  for (const n of pf.netdevs) if (n.speedMbps !== null && n.speedMbps > 0 && (best === null || n.speedMbps > best)) best = n.speedMbps;
  return best;
}

/**
 * What a fleet tile says of a host: its counts, and its VFs by NIC model and NUMA node (free
 * ones first count). A VF is free, held or neither by the one rule of vfState.
 */
export function summarizeTopology(topology: Topology): { counts: HostCounts; capacity: HostCapacity[] } {
  const counts: HostCounts = { pfs: topology.pfs.length, vfs: 0, freeVfs: 0, heldVfs: 0, vms: topology.vms.length, warnings: topology.warnings.length };
  const byModel = new Map<string, HostCapacity>();
  for (const pf of topology.pfs) {
    const key = `${pf.vendorId}:${pf.deviceId}:${pf.numaNode ?? ''}`;
    let row = byModel.get(key);
    if (!row) {
      row = { vendorId: pf.vendorId, deviceId: pf.deviceId, vendorName: pf.vendorName, deviceName: pf.deviceName, numaNode: pf.numaNode, speedMbps: null, pfs: 0, vfs: 0, freeVfs: 0, heldVfs: 0 };
      byModel.set(key, row);
    }
    row.pfs += 1;
    const speed = pfSpeedMbps(pf);
    if (speed !== null && (row.speedMbps === null || speed > row.speedMbps)) row.speedMbps = speed;
    for (const vf of pf.vfs) {
      const state = vfState(vf, topology);
      row.vfs += 1;
      counts.vfs += 1;
      if (state === 'free') {
        row.freeVfs += 1;
        counts.freeVfs += 1;
      } else if (state === 'assigned') {
        row.heldVfs += 1;
        counts.heldVfs += 1;
      }
    }
  }
  const capacity = [...byModel.values()].sort(
    (a, b) => b.freeVfs - a.freeVfs || (a.deviceName ?? a.deviceId).localeCompare(b.deviceName ?? b.deviceId) || (a.numaNode ?? -1) - (b.numaNode ?? -1),
  );
  return { counts, capacity };
}

import type { Topology } from '@vfmap/model';
import type { Metrics } from './metrics';
import { vfState } from '@vfmap/model';

/** Gauges a scrape wants: VFs by state per PF, and how long the last scan took. */
export function recordTopologyMetrics(metrics: Metrics, topology: Topology, scanMs: number): void {
  metrics.inc('vfmap_scans_total', 'Full topology scans');
  metrics.set('vfmap_scan_duration_seconds', 'Duration of the last full scan', {}, scanMs / 1000);
  metrics.reset('vfmap_vfs');
  metrics.reset('vfmap_pf_total_vfs');
  const host = topology.host.id;
  for (const pf of topology.pfs) {
    const counts = { free: 0, assigned: 0, unavailable: 0 };
    for (const vf of pf.vfs) counts[vfState(vf, topology)]++;
    for (const [state, n] of Object.entries(counts)) metrics.set('vfmap_vfs', 'Enabled VFs by state', { host, pf: pf.address, state }, n);
    metrics.set('vfmap_pf_total_vfs', 'sriov_totalvfs of each PF', { host, pf: pf.address }, pf.totalVfs);
  }
}

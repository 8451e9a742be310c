import type { Pf, Topology, Vf } from '@vfmap/model';
import { DRIFT_KINDS, vfState } from '@vfmap/model';
import type { Metrics } from './metrics';

/** `numa_node` as sysfs and sriov-network-metrics-exporter print it: -1 when the device has none. */
function numaNode(node: number | null): string {
  return String(node ?? -1);
}

/**
 * `pf` as sriov-network-metrics-exporter names it: the PF's network interface. A PF without one
 * (bound to vfio-pci, or not a NIC) is named by its PCI address.
 */
function pfName(pf: Pf): string {
  return pf.netdevs[0]?.name ?? pf.address;
}

function pfLabels(pf: Pf) {
  return { pf: pfName(pf), pciAddr: pf.address, numa_node: numaNode(pf.numaNode) };
}

function vfLabels(pf: Pf, vf: Vf) {
  return { pf: pfName(pf), vf: String(vf.index), pciAddr: vf.address, numa_node: numaNode(vf.numaNode) };
}

/**
 * The series of a full scan: the host, and per PF its VFs by what a VM can do with them, and
 * who holds each held VF. Every per-device series is dropped first, so that a PF or VF that is
 * gone (hot-unplugged, VFs removed) leaves no series behind.
 */
export function recordTopologyMetrics(metrics: Metrics, topology: Topology, scanMs: number): void {
  metrics.scans.inc();
  metrics.scanDuration.set(scanMs / 1000);
  metrics.scanWarnings.set(topology.warnings.length);
  for (const gauge of [metrics.hostInfo, metrics.pfVfs, metrics.pfTotalVfs, metrics.pfVfsFree, metrics.pfVfsHeld, metrics.pfVfsUnavailable, metrics.vfHolder]) gauge.reset();

  for (const kind of DRIFT_KINDS) metrics.drift.set({ kind }, topology.drift.filter((f) => f.kind === kind).length);

  const { host } = topology;
  metrics.hostInfo.set({ host: host.id, hypervisor: host.hypervisor, kernel: host.kernel ?? '' }, 1);
  for (const pf of topology.pfs) {
    const counts = { free: 0, assigned: 0, unavailable: 0 };
    for (const vf of pf.vfs) {
      counts[vfState(vf, topology)]++;
      if (vf.holder) {
        metrics.vfHolder.set({ ...vfLabels(pf, vf), vm: vf.holder.vmId, vm_name: vf.holder.vmName, pending: String(vf.holder.pending) }, 1);
      }
    }
    const labels = pfLabels(pf);
    metrics.pfVfs.set(labels, pf.numVfs);
    metrics.pfTotalVfs.set(labels, pf.totalVfs);
    metrics.pfVfsFree.set(labels, counts.free);
    metrics.pfVfsHeld.set(labels, counts.assigned);
    metrics.pfVfsUnavailable.set(labels, counts.unavailable);
  }
}

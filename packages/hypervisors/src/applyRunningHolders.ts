import type { DriftEvidence, Holder, RunningFacts, RunningQemu, Topology } from '@vfmap/model';
import { RESERVATIONS_PATH } from './runningPaths';

export interface RunningClaim {
  vmId: string;
  vmName: string;
  via: string;
  ambiguous: boolean;
  pid: number;
  /** The IOMMU group the process has open, for an ambiguous claim. */
  group: number | null;
  /** How the claim was found: the command line, an open fd, or qemu-server's reservation. */
  evidence: DriftEvidence;
}

/**
 * Puts what running QEMU processes hold onto a topology the configs annotated
 * (annotateTopology). Pure. Each holder then says its source: `config`, `running` or `both`;
 * where a running process holds a device a config gives to another VM, the live claim wins and
 * the config's VM stays in `configuredVmId`.
 *
 * A process's claims: its `-device vfio-pci,host=` arguments whose group (or cdev) it still has
 * open — a device hot-unplugged stays on the command line, its fd is closed; all of them where its
 * fds could not be read —, its open vfio cdevs, qemu-server's
 * live reservations of its VM, and the members of each `/dev/vfio/<group>` it has open — exact
 * where the group has one member; where the group is shared and the process names none of its
 * members otherwise, every member is claimed as ambiguous (the group is the finest grain the
 * kernel gives). An ambiguous claim never overrides a config that names another VM.
 */
export function applyRunningHolders(topology: Topology, facts: RunningFacts): Topology {
  const claims = runningClaims(topology, facts);
  const merge = (address: string, config: Holder | null): Holder | null => mergeHolder(config, claims.get(address));
  return {
    ...topology,
    pfs: topology.pfs.map((pf) => ({
      ...pf,
      holder: merge(pf.address, pf.holder),
      vfs: pf.vfs.map((vf) => ({ ...vf, holder: merge(vf.address, vf.holder) })),
    })),
    devices: topology.devices.map((d) => ({ ...d, holder: merge(d.address, d.holder) })),
    warnings: [...topology.warnings, ...facts.warnings],
  };
}

function mergeHolder(config: Holder | null, running: RunningClaim | undefined): Holder | null {
  if (!running) return config === null ? null : { ...config, source: 'config' };
  if (config === null) return runningHolder(running, null);
  if (config.vmId === running.vmId) return { ...config, source: 'both', ...(running.ambiguous ? { ambiguous: true } : {}) };
  if (running.ambiguous) return { ...config, source: 'config' };
  return runningHolder(running, config.vmId);
}

function runningHolder(running: RunningClaim, configuredVmId: string | null): Holder {
  return {
    vmId: running.vmId,
    vmName: running.vmName,
    via: running.via,
    pending: false,
    pendingChange: null,
    source: 'running',
    ...(configuredVmId === null ? {} : { configuredVmId }),
    ...(running.ambiguous ? { ambiguous: true } : {}),
  };
}

/** The VM a process is: its pidfile's VM, else its `-name`, else `pid <N>`. */
export function identity(p: RunningQemu): { vmId: string; vmName: string; via: string } {
  const vmId = p.vmId ?? p.name ?? `pid:${p.pid}`;
  return { vmId, vmName: p.name ?? vmId, via: p.via === 'process' ? `qemu pid ${p.pid}` : `${p.via} pid ${p.pid}` };
}

export function runningClaims(topology: Topology, facts: RunningFacts): Map<string, RunningClaim> {
  const members = new Map<number, string[]>(topology.iommuGroups.map((g) => [g.id, [...g.devices]]));
  const groupOf = new Map<string, number>(topology.iommuGroups.flatMap((g) => g.devices.map((d) => [d, g.id] as const)));
  const claims = new Map<string, RunningClaim>();
  const put = (address: string, claim: RunningClaim) => {
    const had = claims.get(address);
    if (!had || (had.ambiguous && !claim.ambiguous)) claims.set(address, claim);
  };
  for (const p of facts.processes) {
    const who = { ...identity(p), pid: p.pid };
    const open = (host: string) => !p.fdsRead || p.vfioDevices.includes(host) || p.vfioGroups.includes(groupOf.get(host) ?? -1);
    const exact = new Map<string, DriftEvidence>();
    const add = (address: string, evidence: DriftEvidence) => {
      if (!exact.has(address)) exact.set(address, evidence);
    };
    const cmdline = { path: `/proc/${p.pid}/cmdline` };
    for (const h of p.hosts.filter(open)) add(h, { ...cmdline, value: `-device vfio-pci,host=${h}` });
    for (const d of p.vfioDevices) add(d, { path: `/proc/${p.pid}/fd`, value: `/dev/vfio/devices/… (the vfio cdev of ${d})` });
    for (const r of facts.reservations) {
      if (!r.stale && r.pid === p.pid && r.vmId === p.vmId) add(r.address, { path: RESERVATIONS_PATH, value: `${r.address} ${r.vmId} pid:${r.pid}` });
    }
    for (const group of p.vfioGroups) {
      const list = members.get(group) ?? [];
      const evidence = { path: `/proc/${p.pid}/fd`, value: `/dev/vfio/${group}` };
      if (list.length === 1) add(list[0]!, evidence);
      else if (!list.some((a) => exact.has(a))) for (const a of list) put(a, { ...who, ambiguous: true, group, evidence });
    }
    for (const [a, evidence] of exact) put(a, { ...who, ambiguous: false, group: null, evidence });
  }
  return claims;
}

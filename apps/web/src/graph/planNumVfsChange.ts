import { formatPciAddress, fromRoutingId, parsePciAddress, routingIdOf, type Holder, type Pf, type Topology, type VmState } from '@vfmap/model';

/**
 * "What happens if I change this count?" answered before anything is written: the kernel writes
 * the agent will make, the VFs that vanish and appear, the VMs that lose a VF, and the reasons
 * the change cannot go through. Pure; the confirm dialog only words it.
 */

export interface PlannedVf {
  index: number;
  /** null when the PF does not report offset and stride (older kernels) and the VF does not exist yet. */
  address: string | null;
}

/** A VF a VM's configuration names, destroyed by the change. */
export interface HeldVfLoss {
  index: number;
  address: string;
  vmId: string;
  vmName: string;
  via: string;
  /** the assignment is in the configuration, not yet in effect. */
  pending: boolean;
  /** a VF with this index exists again afterwards, at the same address, as a new device. */
  comesBack: boolean;
}

export interface AffectedVm {
  vmId: string;
  vmName: string;
  state: VmState;
  vfs: HeldVfLoss[];
}

export type NumVfsChangeKind = 'unchanged' | 'enable' | 'disable' | 'through-zero';

export interface NumVfsChangePlan {
  pf: string;
  from: number;
  to: number;
  totalVfs: number;
  kind: NumVfsChangeKind;
  /** values written to sriov_numvfs, in order. */
  writes: string[];
  /** every VF that stops existing, even one that comes back at the same address. */
  destroyed: PlannedVf[];
  created: PlannedVf[];
  /** created VFs at an address a destroyed one had: new devices where old ones were. */
  sameAddresses: number;
  held: HeldVfLoss[];
  /** VMs that lose a VF, each with what it loses. */
  vms: AffectedVm[];
  /** destroyed VFs with a change to a VM's configuration that is not yet in effect. */
  pending: HeldVfLoss[];
  /** host interfaces of destroyed VFs (bound to a host driver): they disappear. */
  hostNetdevs: string[];
  /** the agent refuses without force: VMs hold VFs the change destroys. */
  needsForce: boolean;
  /** why the change cannot go through at all; the dialog offers no confirm while there are any. */
  blocking: string[];
}

/**
 * Plans changing `pf` (an address in `topology`) to `count` VFs. The kernel refuses one non-zero
 * count to another (EBUSY), so when VFs are enabled the agent writes 0 first: every existing VF
 * is destroyed, and those below the new count come back at the same addresses as new devices. A
 * VM holding any of them loses it, which is why a held VF below the new count still needs force.
 */
export function planNumVfsChange(topology: Topology, pf: string, count: number): NumVfsChangePlan {
  const p = topology.pfs.find((x) => x.address === pf);
  if (!p) throw new Error(`planNumVfsChange: no PF ${pf} in the topology`);
  const from = p.numVfs;
  const kind: NumVfsChangeKind = count === from ? 'unchanged' : from === 0 ? 'enable' : count === 0 ? 'disable' : 'through-zero';
  const blocking = blockingReasons(p, count);

  if (kind === 'unchanged') {
    return { ...empty(p, count, kind), blocking };
  }

  const writes = kind === 'through-zero' ? ['0', String(count)] : [String(count)];
  const destroyed: PlannedVf[] = from === 0 ? [] : p.vfs.map((vf) => ({ index: vf.index, address: vf.address }));
  const created: PlannedVf[] = Array.from({ length: Number.isInteger(count) && count > 0 ? Math.min(count, p.totalVfs) : 0 }, (_, index) => ({
    index,
    address: vfAddressOf(p, index),
  }));
  const before = new Set(destroyed.map((v) => v.address));
  const sameAddresses = created.filter((v) => v.address !== null && before.has(v.address)).length;

  const destroyedVfs = from === 0 ? [] : p.vfs;
  const losses = destroyedVfs
    .filter((vf): vf is typeof vf & { holder: Holder } => vf.holder !== null)
    .map((vf) => ({
      index: vf.index,
      address: vf.address,
      vmId: vf.holder.vmId,
      vmName: vf.holder.vmName,
      via: vf.holder.via,
      pending: vf.holder.pending,
      comesBack: vf.index < count,
    }));
  const hostNetdevs = destroyedVfs.filter((vf) => vf.driver !== null && vf.driver !== 'vfio-pci').flatMap((vf) => vf.netdevs.map((n) => n.name));

  return {
    pf: p.address,
    from,
    to: count,
    totalVfs: p.totalVfs,
    kind,
    writes,
    destroyed,
    created,
    sameAddresses,
    held: losses,
    vms: byVm(losses, topology),
    pending: losses.filter((l) => l.pending),
    hostNetdevs,
    needsForce: losses.length > 0,
    blocking,
  };
}

/**
 * Where VF `index` of `pf` appears: the PF's routing id (bus << 8 | devfn) plus offset plus
 * stride × index, which may spill onto the next bus numbers (PCIe SR-IOV spec, 9.3.3.9–10).
 */
export function vfAddressOf(pf: Pf, index: number): string | null {
  const existing = pf.vfs.find((v) => v.index === index);
  if (existing) return existing.address;
  const parts = parsePciAddress(pf.address);
  if (!parts || pf.offset === null || pf.stride === null) return null;
  const rid = routingIdOf(parts) + pf.offset + pf.stride * index;
  // Past bus 255 there is no such routing id; the kernel would refuse to make the VF.
  if (rid > 0xffff) return null;
  return formatPciAddress(fromRoutingId(parts.domain, rid));
}

function blockingReasons(pf: Pf, count: number): string[] {
  const reasons: string[] = [];
  if (!Number.isInteger(count) || count < 0) reasons.push('A VF count is a whole number, 0 or more.');
  else if (count > pf.totalVfs) reasons.push(`${pf.address} supports at most ${pf.totalVfs} VFs (sriov_totalvfs).`);
  if (pf.driver === null && count !== pf.numVfs) {
    // probe.txt: writing sriov_numvfs of a PF without a driver answers ENOENT, enabling or disabling.
    reasons.push('No driver is bound to the PF, and the kernel changes VF counts only through the PF\'s driver (it would answer ENOENT). Bind its driver first.');
  }
  return reasons;
}

function byVm(losses: HeldVfLoss[], topology: Topology): AffectedVm[] {
  const vms = new Map<string, AffectedVm>();
  for (const loss of losses) {
    let vm = vms.get(loss.vmId);
    if (!vm) {
      const listed = topology.vms.find((v) => v.id === loss.vmId);
      vm = { vmId: loss.vmId, vmName: loss.vmName, state: listed?.state ?? 'unknown', vfs: [] };
      vms.set(loss.vmId, vm);
    }
    vm.vfs.push(loss);
  }
  return [...vms.values()];
}

function empty(pf: Pf, count: number, kind: NumVfsChangeKind): Omit<NumVfsChangePlan, 'blocking'> {
  return {
    pf: pf.address,
    from: pf.numVfs,
    to: count,
    totalVfs: pf.totalVfs,
    kind,
    writes: [],
    destroyed: [],
    created: [],
    sameAddresses: 0,
    held: [],
    vms: [],
    pending: [],
    hostNetdevs: [],
    needsForce: false,
  };
}

import type { HeldVf } from './operations';
import type { PciAddress } from './pciAddressSchema';
import type { Holder, HolderSource, Pf, Vf, Vm, VmState } from './topology';
import { vfAddressOf, vfsWithinBusRange } from './vfAddress';

/**
 * "What happens if this PF gets that many VFs?", answered before anything is written, the same
 * way for the agent (which writes and refuses), the page (whose confirm dialog words it) and the
 * page tests' fake agent: the kernel writes, the VFs that vanish and appear, the VMs that lose a
 * VF, and the reasons the change cannot go through.
 */

export interface PlannedVf {
  index: number;
  /**
   * null when the VF does not exist yet and its address is unknown: the PF reports no offset and
   * stride (older kernels), or the VF would lie past bus ff (then `blocking` says so).
   */
  address: PciAddress | null;
}

/** A VF a VM's configuration names or a running process holds, destroyed by the change. */
export interface LostVf extends HeldVf {
  via: string;
  /** the assignment is in the configuration, not yet in effect. */
  pending: boolean;
  /** config: the VM's configuration names it; running: a running process holds it and no configuration of that VM names it; both. */
  source: HolderSource;
}

export interface AffectedVm {
  vmId: string;
  vmName: string;
  state: VmState;
  /** how the VM holds its VFs: by configuration, as a running process, or both (mixed across its VFs is both). */
  holds: HolderSource;
  vfs: LostVf[];
  /** VFs its configuration names that do not exist after the change: the VM fails at its next start (config-names-missing-vf). */
  configNamesMissing: PciAddress[];
}

/** A VM that loses VFs, as a refusal and a forced change report it. */
export interface VmLosingVfs {
  vmId: string;
  vmName: string;
  holds: HolderSource;
  vfs: PciAddress[];
  configNamesMissing: PciAddress[];
}

export type NumVfsChangeKind = 'unchanged' | 'enable' | 'disable' | 'through-zero';

export interface NumVfsPlan {
  pf: PciAddress;
  from: number;
  to: number;
  totalVfs: number;
  kind: NumVfsChangeKind;
  /** values written to sriov_numvfs, in order; none when the PF already has the count. */
  writes: string[];
  /** every VF that stops existing, even one that comes back at the same address. */
  destroyed: Array<{ index: number; address: PciAddress }>;
  created: PlannedVf[];
  /** created VFs at an address a destroyed one had: new devices where old ones were. */
  sameAddresses: number;
  /**
   * One entry per VM and VF it loses: the VF's holder, and where a running process holds a VF
   * another VM's configuration names (holder.configuredVmId), that VM too: its configuration
   * names a device the change destroys.
   */
  held: LostVf[];
  /** VMs that lose a VF, each with what it loses. */
  vms: AffectedVm[];
  /** destroyed VFs with a change to a VM's configuration that is not yet in effect. */
  pending: LostVf[];
  /** host interfaces of destroyed VFs (bound to a host driver): they disappear. */
  hostNetdevs: string[];
  /**
   * The agent refuses without force: VMs hold VFs the change destroys, or VM configurations name
   * VFs that would no longer exist after it (config-names-missing-vf; always held VFs too).
   */
  needsForce: boolean;
  /** why the change cannot go through at all; the dialog offers no confirm while there are any. */
  blocking: string[];
}

/**
 * Plans changing `pf` to `count` VFs; `vms` (the topology's) give the affected VMs their state.
 *
 * The kernel refuses to go from one non-zero count to another ("different non-zero value: write 3
 * -> EBUSY" in probe.txt: "N VFs already enabled. Disable before enabling M VFs"), so such a change
 * writes 0 and then the count — and writing 0 removes every VF. A VF below the new count comes back
 * at the same address, but as a new device: the VM holding it loses it (vfio releases it) in
 * between. So any held VF is lost whenever the PF has VFs and the count changes, not only those at
 * index ≥ count, and the agent wants force for it.
 *
 * The values are written in decimal from an integer, never as the client's text: the kernel parses
 * with kstrtou16(buf, 0), so "010" would mean 8 (probe.txt).
 */
export function planNumVfs(pf: Pf, count: number, vms: readonly Vm[] = []): NumVfsPlan {
  const from = pf.numVfs;
  const kind: NumVfsChangeKind = count === from ? 'unchanged' : from === 0 ? 'enable' : count === 0 ? 'disable' : 'through-zero';
  const blocking = blockingReasons(pf, count);
  if (kind === 'unchanged') return { ...nothing(pf, count), blocking };

  const writes = kind === 'through-zero' ? ['0', String(count)] : [String(count)];
  const destroyedVfs = from === 0 ? [] : pf.vfs;
  const destroyed = destroyedVfs.map((vf) => ({ index: vf.index, address: vf.address }));
  const made = Number.isInteger(count) && count > 0 ? Math.min(count, pf.totalVfs) : 0;
  const created = Array.from({ length: made }, (_, index) => ({ index, address: plannedAddress(pf, index) }));
  const before = new Set(destroyed.map((v) => v.address));
  const sameAddresses = created.filter((v) => v.address !== null && before.has(v.address)).length;

  const held: LostVf[] = destroyedVfs.flatMap((vf) => lostVfs(vf, count, vms));
  const hostNetdevs = destroyedVfs.filter((vf) => vf.driver !== null && vf.driver !== 'vfio-pci').flatMap((vf) => vf.netdevs.map((n) => n.name));

  return {
    pf: pf.address,
    from,
    to: count,
    totalVfs: pf.totalVfs,
    kind,
    writes,
    destroyed,
    created,
    sameAddresses,
    held,
    vms: byVm(held, vms),
    pending: held.filter((l) => l.pending),
    hostNetdevs,
    needsForce: held.length > 0,
    blocking,
  };
}

/**
 * The most VFs `pf` can have: sriov_totalvfs, or fewer when the last ones would lie past bus ff
 * (no PCI address there: sriov_enable() refuses such a count with ENOMEM). Without offset and
 * stride (older kernels) only sriov_totalvfs is known.
 */
export function possibleVfs(pf: Pf): number {
  if (pf.offset === null || pf.stride === null) return pf.totalVfs;
  return vfsWithinBusRange(pf.address, pf.offset, pf.stride, pf.totalVfs);
}

/** A lost VF as the API reports it (a refusal's `vfs`, a forced change's `forced`). */
export function heldVfOf(lost: LostVf): HeldVf {
  return { address: lost.address, index: lost.index, vmId: lost.vmId, vmName: lost.vmName, recreated: lost.recreated, source: lost.source };
}

/** The VMs that lose VFs, each with the addresses it loses: what a refusal and a forced change report. */
export function vmsLosingVfs(plan: NumVfsPlan): VmLosingVfs[] {
  return plan.vms.map((vm) => ({ vmId: vm.vmId, vmName: vm.vmName, holds: vm.holds, vfs: vm.vfs.map((v) => v.address), configNamesMissing: vm.configNamesMissing }));
}

/**
 * The agent's words for a count change the plan refuses because VMs hold VFs it destroys (the
 * `detail` of a `vfs-held` problem): who holds what and how (configuration, running process),
 * and which VMs' configurations would name a VF that no longer exists. Shared with the page
 * tests' fake agent, which must say the same.
 */
export function describeHeldRefusal(pf: Pf, count: number, plan: NumVfsPlan): string {
  const vms = vmsLosingVfs(plan);
  const who = vms.map((vm) => `${vm.vmName} (${vm.vmId}) holds ${vm.vfs.join(', ')} (${HOW[vm.holds]})`).join('; ');
  const why =
    count === 0
      ? `Disabling the VFs of ${pf.address} destroys them all`
      : `Changing ${pf.address} from ${pf.numVfs} to ${count} VFs destroys every VF (the kernel changes a non-zero count only through 0; those below ${count} come back as new devices)`;
  const heldVfs = new Set(plan.held.map((l) => l.address)).size;
  return `${why}, and VMs hold ${heldVfs} of them: ${who}.${describeMissing(vms)} Release them first, or ask again with force.`;
}

const HOW: Record<HolderSource, string> = {
  config: 'its configuration names it',
  running: 'a running process, no configuration of it names it',
  both: 'its configuration, and its running process',
};

/** " After the change the configurations of …": the VMs that would fail at their next start; empty when none. */
function describeMissing(vms: readonly VmLosingVfs[]): string {
  const missing = vms.filter((vm) => vm.configNamesMissing.length > 0);
  if (missing.length === 0) return '';
  const list = missing.map((vm) => `${vm.vmName} (${vm.vmId}) names ${vm.configNamesMissing.join(', ')}`).join('; ');
  return ` After the change the configuration${missing.length === 1 ? '' : 's'} of ${list}, which would no longer exist: ${missing.length === 1 ? 'that VM fails' : 'those VMs fail'} at the next start (config-names-missing-vf).`;
}

/** The agent's words for a count change it made (a result's `message`); `numVfsAfter` is sriov_numvfs re-read. */
export function describeNumVfsChange(before: Pf, count: number, plan: NumVfsPlan, numVfsAfter: number): string {
  const a = before.address;
  let text =
    before.numVfs === 0
      ? `Enabled ${count} VFs on ${a}.`
      : count === 0
        ? `Disabled the ${before.numVfs} VFs of ${a}.`
        : `Changed ${a} from ${before.numVfs} to ${count} VFs: wrote 0, then ${count}, as the kernel changes a non-zero count only through 0, so every VF is new.`;
  if (plan.held.length > 0) {
    const vms = vmsLosingVfs(plan);
    text += ` Forced: ${vms.map((vm) => `${vm.vmName} (${vm.vmId}) lost ${vm.vfs.join(', ')}`).join('; ')}.`;
    const missing = vms.filter((vm) => vm.configNamesMissing.length > 0);
    if (missing.length > 0) {
      text += ` The configurations of ${missing.map((vm) => `${vm.vmName} (${vm.vmId})`).join(', ')} name VFs that no longer exist (${missing.flatMap((vm) => vm.configNamesMissing).join(', ')}): fix them before those VMs start.`;
    }
  }
  if (numVfsAfter !== count) text += ` sriov_numvfs reads ${numVfsAfter} now.`;
  return text;
}

/** Where VF `index` appears: where it is now, else where offset and stride put it. */
function plannedAddress(pf: Pf, index: number): PciAddress | null {
  const existing = pf.vfs.find((v) => v.index === index);
  if (existing) return existing.address;
  if (pf.offset === null || pf.stride === null) return null;
  return vfAddressOf(pf.address, pf.offset, pf.stride, index);
}

function blockingReasons(pf: Pf, count: number): string[] {
  const reasons: string[] = [];
  if (!Number.isInteger(count) || count < 0) reasons.push('A VF count is a whole number, 0 or more.');
  else if (count > pf.totalVfs) reasons.push(`${pf.address} supports at most ${pf.totalVfs} VFs (sriov_totalvfs).`);
  else if (count > possibleVfs(pf)) {
    const fit = possibleVfs(pf);
    reasons.push(
      `${pf.address} can have at most ${fit} VFs: VF ${fit} and above would lie past bus ff, where there is no PCI address (the kernel would answer ENOMEM).`,
    );
  }
  if (pf.driver === null && count !== pf.numVfs) {
    // probe.txt: writing sriov_numvfs of a PF without a driver answers ENOENT, enabling or disabling.
    reasons.push("No driver is bound to the PF, and the kernel changes VF counts only through the PF's driver (it would answer ENOENT). Bind its driver first.");
  }
  return reasons;
}

/**
 * Who loses `vf` when it is destroyed: its holder (source as the scan says it; a holder from a
 * configuration alone when the scan did not say), and where a running process holds a VF another
 * VM's configuration names, that VM as well — its configuration still names the VF.
 */
function lostVfs(vf: Vf, count: number, vms: readonly Vm[]): LostVf[] {
  const holder: Holder | null = vf.holder;
  if (holder === null) return [];
  const recreated = vf.index < count;
  const lost: LostVf[] = [
    { address: vf.address, index: vf.index, vmId: holder.vmId, vmName: holder.vmName, recreated, via: holder.via, pending: holder.pending, source: holder.source ?? 'config' },
  ];
  const configured = holder.source === 'running' ? (holder.configuredVmId ?? null) : null;
  if (configured !== null && configured !== holder.vmId) {
    const vmName = vms.find((v) => v.id === configured)?.name ?? configured;
    lost.push({ address: vf.address, index: vf.index, vmId: configured, vmName, recreated, via: 'configuration', pending: false, source: 'config' });
  }
  return lost;
}

function byVm(held: readonly LostVf[], vms: readonly Vm[]): AffectedVm[] {
  const affected = new Map<string, AffectedVm>();
  for (const loss of held) {
    let vm = affected.get(loss.vmId);
    if (!vm) {
      vm = { vmId: loss.vmId, vmName: loss.vmName, state: vms.find((v) => v.id === loss.vmId)?.state ?? 'unknown', holds: loss.source, vfs: [], configNamesMissing: [] };
      affected.set(loss.vmId, vm);
    }
    if (vm.holds !== loss.source) vm.holds = 'both';
    vm.vfs.push(loss);
    // A VF not recreated is gone after the change; a configuration that names it names nothing.
    if (!loss.recreated && loss.source !== 'running') vm.configNamesMissing.push(loss.address);
  }
  return [...affected.values()];
}

function nothing(pf: Pf, count: number): Omit<NumVfsPlan, 'blocking'> {
  return {
    pf: pf.address,
    from: pf.numVfs,
    to: count,
    totalVfs: pf.totalVfs,
    kind: 'unchanged',
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

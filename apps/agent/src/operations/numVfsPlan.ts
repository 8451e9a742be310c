import type { HeldVf, Pf, Vf } from '@vfmap/model';

/** The kernel writes a count change takes, and what they destroy. */
export interface NumVfsPlan {
  /** Values to write to sriov_numvfs, in order; none when the PF already has the count. */
  writes: string[];
  /** VFs that stop existing (even if one comes back at the same address). */
  destroyed: Vf[];
  /** Destroyed VFs that a VM's configuration names. */
  held: HeldVf[];
}

/**
 * Plans a change of `pf` to `count` VFs. The kernel refuses to go from one non-zero count to
 * another ("different non-zero value: write 3 -> EBUSY" in probe.txt: "N VFs already enabled.
 * Disable before enabling M VFs"), so such a change writes 0 and then the count — and writing 0
 * removes every VF. A VF below the new count comes back at the same address, but as a new
 * device: the VM holding it loses it (vfio releases it) in between. So any held VF is destroyed
 * whenever the PF has VFs and the count changes, not only those at index ≥ count.
 *
 * The value is written in decimal from an integer, never as the client's text: the kernel parses
 * with kstrtou16(buf, 0), so "010" would mean 8 (probe.txt).
 */
export function planNumVfs(pf: Pf, count: number): NumVfsPlan {
  if (count === pf.numVfs) return { writes: [], destroyed: [], held: [] };
  const writes = pf.numVfs === 0 ? [String(count)] : count === 0 ? ['0'] : ['0', String(count)];
  const destroyed = pf.numVfs === 0 ? [] : pf.vfs;
  const held = destroyed
    .filter((vf) => vf.holder !== null)
    .map((vf) => ({ address: vf.address, index: vf.index, vmId: vf.holder!.vmId, vmName: vf.holder!.vmName, recreated: vf.index < count }));
  return { writes, destroyed, held };
}

/** The VMs in a list of held VFs, each with the VFs it holds: what a refusal and a forced change report. */
export function vmsOf(held: readonly HeldVf[]): Array<{ vmId: string; vmName: string; vfs: string[] }> {
  const byVm = new Map<string, { vmId: string; vmName: string; vfs: string[] }>();
  for (const h of held) {
    const entry = byVm.get(h.vmId) ?? { vmId: h.vmId, vmName: h.vmName, vfs: [] };
    entry.vfs.push(h.address);
    byVm.set(h.vmId, entry);
  }
  return [...byVm.values()];
}

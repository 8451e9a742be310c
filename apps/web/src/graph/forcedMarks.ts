import type { NumVfsResult, Topology } from '@vfmap/model';

/**
 * VFs a forced count change destroyed under a VM and re-created at the same address: the VM's
 * configuration still names the address, but the device behind it is new (the running VM lost
 * it). The page marks such a VF until its holder is reconciled, which it decides this way:
 * - the VF is gone (a later count change removed it), or
 * - no VM holds it any more, or another VM does (released, or re-assigned), or
 * - the VM was seen stopped after the mark (its next start takes the new device).
 * A VM restarted between two reads of the topology is not seen stopped: its mark stays until
 * the holder is released or the tab is closed (marks live in sessionStorage, per host).
 */
export interface ForcedMark {
  vf: string;
  vmId: string;
  vmName: string;
  /** the count change (operationId) that re-created it */
  operationId: string;
  at: string;
}

export function marksOfForcedChange(result: NumVfsResult, at: string): ForcedMark[] {
  return result.forced.filter((f) => f.recreated).map((f) => ({ vf: f.address, vmId: f.vmId, vmName: f.vmName, operationId: result.operationId, at }));
}

/** The marks still standing against this topology (see ForcedMark for when one goes). */
export function marksStillStanding(marks: readonly ForcedMark[], topology: Topology): ForcedMark[] {
  const vfs = new Map(topology.pfs.flatMap((p) => p.vfs).map((v) => [v.address, v] as const));
  const vmState = new Map(topology.vms.map((vm) => [vm.id, vm.state] as const));
  return marks.filter((m) => {
    const vf = vfs.get(m.vf);
    if (!vf || !vf.holder || vf.holder.vmId !== m.vmId) return false;
    return vmState.get(m.vmId) !== 'stopped';
  });
}

/** New marks over old ones for the same VF. */
export function mergeMarks(old: readonly ForcedMark[], added: readonly ForcedMark[]): ForcedMark[] {
  const byVf = new Map(old.map((m) => [m.vf, m] as const));
  for (const m of added) byVf.set(m.vf, m);
  return [...byVf.values()];
}

const key = (host: string) => `vfmap.forced.${host}`;

export function loadMarks(host: string, storage: Storage | undefined = globalThis.sessionStorage): ForcedMark[] {
  try {
    const raw = storage?.getItem(key(host));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter(isMark) : [];
  } catch {
    return [];
  }
}

export function saveMarks(host: string, marks: readonly ForcedMark[], storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    if (marks.length === 0) storage?.removeItem(key(host));
    else storage?.setItem(key(host), JSON.stringify(marks));
  } catch {
    // storage full or refused (private mode): the marks live as long as the page
  }
}

function isMark(x: unknown): x is ForcedMark {
  const m = x as Partial<ForcedMark> | null;
  return !!m && typeof m.vf === 'string' && typeof m.vmId === 'string' && typeof m.vmName === 'string' && typeof m.operationId === 'string' && typeof m.at === 'string';
}

/** The mark's words on the graph (its slot's label; the details say the rest). */
export function forcedMarkLabel(mark: ForcedMark): string {
  return `Re-created under ${mark.vmName} by a forced count change: the running VM lost it`;
}

/**
 * The mark on a slot: a triangle in its bottom-left corner (a drift mark takes the top-right),
 * `size` the slot's side. One path per strip, as the free dots are.
 */
export function forcedGlyphPath(x: number, y: number, size: number): string {
  const s = size * 0.55;
  return `M${x},${y + size}L${x},${y + size - s}L${x + s},${y + size}Z`;
}

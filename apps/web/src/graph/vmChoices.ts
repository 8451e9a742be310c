import type { VmState } from '@vfmap/model';
import type { GraphModel, VfNode } from './graphModel';

/**
 * The VMs a free VF can go to, for the picker: the VMs of the VF's own host (the model is that
 * host's topology), each with its state, whether its other devices sit on the VF's NUMA node,
 * and when the change would take effect. VMs that already hold devices on the VF's node come
 * first (those with all of them there before those that span nodes): DMA and interrupts then
 * stay on one socket. Then the VMs that hold nothing with a node, then those only elsewhere.
 */
export interface VmChoice {
  id: string;
  name: string;
  state: VmState;
  /** same: all its devices on the VF's node; mixed: some; unknown: none with a node; other: none there. */
  numa: 'same' | 'mixed' | 'unknown' | 'other';
  numaHint: string;
  /** said before the choice: a stopped VM gets the VF only when it starts. */
  effectHint: string | null;
}

const NUMA_ORDER = { same: 0, mixed: 1, unknown: 2, other: 3 } as const;
const STATE_ORDER: Record<VmState, number> = { running: 0, paused: 1, stopped: 2, unknown: 3 };

export function vmChoices(model: GraphModel, vf: VfNode): VmChoice[] {
  const vfNuma = vf.vf.numaNode ?? model.pfByAddress.get(vf.pf)?.pf.numaNode ?? null;
  const choices = model.vms
    .filter((vm) => !vm.unlisted)
    .map((vm): VmChoice => {
      const { numa, numaHint } = numaOf(vfNuma, vm.numaNodes, vm.vfs.length + vm.devices.length);
      return {
        id: vm.id,
        name: vm.vm.name,
        state: vm.vm.state,
        numa,
        numaHint,
        effectHint: vm.vm.state === 'stopped' ? 'stopped: it gets the VF at its next start' : null,
      };
    });
  return choices.sort(
    (a, b) => NUMA_ORDER[a.numa] - NUMA_ORDER[b.numa] || STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
}

function numaOf(vfNuma: number | null, vmNodes: readonly number[], held: number): { numa: VmChoice['numa']; numaHint: string } {
  if (vfNuma === null) return { numa: 'unknown', numaHint: 'the VF reports no NUMA node' };
  if (vmNodes.length === 0) {
    return { numa: 'unknown', numaHint: held === 0 ? 'holds no device yet' : 'its devices report no NUMA node' };
  }
  if (vmNodes.every((n) => n === vfNuma)) return { numa: 'same', numaHint: `NUMA node ${vfNuma}, like its other devices` };
  const others = vmNodes.filter((n) => n !== vfNuma);
  if (vmNodes.includes(vfNuma)) {
    return { numa: 'mixed', numaHint: `holds devices on NUMA node ${vfNuma}, like this VF, and on ${others.join(', ')}` };
  }
  return {
    numa: 'other',
    numaHint: `its devices are on NUMA node ${others.join(', ')}; this VF is on ${vfNuma}, so traffic would cross sockets`,
  };
}

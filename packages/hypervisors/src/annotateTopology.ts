import { PCI_SLOT_RE, pciSlotOf, type Holder, type HypervisorKind, type Topology, type Warning } from '@vfmap/model';
import type { Assignment, HypervisorSnapshot } from './hypervisor';

export interface AnnotateOptions {
  /** Sets host.hypervisor; left as the caller's topology has it when absent. */
  hypervisor?: HypervisorKind;
}

/**
 * Puts the hypervisor's VMs and holders onto a topology read from sysfs. Pure: returns a new
 * topology and leaves its input alone.
 *
 * An assignment targets a function, or a whole slot (`dddd:bb:dd`), which holds every
 * function of that slot the topology has — PF, VF or other device. It warns about
 * assignments naming devices the topology lacks ("holder-missing-device": a VM config still
 * naming a VF that no longer exists fails at the VM's next start) and about a device that
 * several VMs name ("holder-conflict": only one of them can start with it).
 */
export function annotateTopology(topology: Topology, snapshot: HypervisorSnapshot, options: AnnotateOptions = {}): Topology {
  const addresses = new Set<string>([
    ...topology.pfs.map((p) => p.address),
    ...topology.pfs.flatMap((p) => p.vfs.map((v) => v.address)),
    ...topology.devices.map((d) => d.address),
  ]);
  const bySlot = new Map<string, string[]>();
  for (const address of addresses) {
    const slot = pciSlotOf(address);
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), address]);
  }

  const claims = new Map<string, Assignment[]>();
  const warnings: Warning[] = [];
  for (const a of snapshot.assignments) {
    const held = PCI_SLOT_RE.test(a.target) ? (bySlot.get(a.target) ?? []) : addresses.has(a.target) ? [a.target] : [];
    if (held.length === 0) {
      warnings.push({
        code: 'holder-missing-device',
        message: `${describe(a)} names ${a.target}, which this host does not have${a.pending ? ' (pending change)' : ''}`,
      });
    }
    for (const address of held) claims.set(address, [...(claims.get(address) ?? []), a]);
  }

  const holders = new Map<string, Holder>();
  for (const [address, list] of claims) {
    // A held device outranks a pending one: it is what the VM has now.
    const chosen = [...list].sort((x, y) => Number(x.pending) - Number(y.pending))[0]!;
    holders.set(address, { vmId: chosen.vmId, vmName: chosen.vmName, via: chosen.via, pending: chosen.pending, pendingChange: chosen.pendingChange });
    if (list.length > 1) {
      warnings.push({
        code: 'holder-conflict',
        message: `${address} is named by ${list.map((a) => `${describe(a)}${a.pending ? ' (pending)' : ''}`).join(' and ')}; only one of them can have it`,
      });
    }
  }
  const holderOf = (address: string): Holder | null => holders.get(address) ?? null;

  return {
    ...topology,
    host: options.hypervisor === undefined ? topology.host : { ...topology.host, hypervisor: options.hypervisor },
    pfs: topology.pfs.map((pf) => ({
      ...pf,
      holder: holderOf(pf.address),
      vfs: pf.vfs.map((vf) => ({ ...vf, holder: holderOf(vf.address) })),
    })),
    devices: topology.devices.map((d) => ({ ...d, holder: holderOf(d.address) })),
    vms: snapshot.vms.map((vm) => ({ ...vm })),
    warnings: [...topology.warnings, ...snapshot.warnings, ...warnings],
  };
}

function describe(a: Assignment): string {
  return `VM ${a.vmId}${a.vmName && a.vmName !== a.vmId ? ` (${a.vmName})` : ''} ${a.via}`;
}

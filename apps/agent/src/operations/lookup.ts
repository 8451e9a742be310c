import type { Pf, Topology, Vf, Vm } from '@vfmap/model';
import { OperationRefused } from './errors';

/** The PF at `address` in a scanned topology, or the refusal that says what is there instead. */
export function findPf(topology: Topology, address: string): Pf {
  const pf = topology.pfs.find((p) => p.address === address);
  if (pf) return pf;
  const asVf = findVfIn(topology, address);
  if (asVf) {
    throw new OperationRefused({ reason: 'not-a-pf', pf: asVf.pf.address }, `${address} is VF ${asVf.vf.index} of PF ${asVf.pf.address}; VF counts are set on the PF.`);
  }
  if (topology.devices.some((d) => d.address === address)) {
    throw new OperationRefused({ reason: 'not-a-pf' }, `${address} has no SR-IOV capability (no sriov_totalvfs in sysfs), so it has no VFs to count.`);
  }
  throw new OperationRefused({ reason: 'unknown-pf' }, `There is no PCI device ${address} on host ${topology.host.id}.`);
}

/** The VF at `address` and its PF, or the refusal that says what is there instead. */
export function findVf(topology: Topology, address: string): { vf: Vf; pf: Pf } {
  const found = findVfIn(topology, address);
  if (found) return found;
  if (topology.pfs.some((p) => p.address === address) || topology.devices.some((d) => d.address === address)) {
    throw new OperationRefused({ reason: 'not-a-vf' }, `${address} is not a VF; only VFs are given to VMs here.`);
  }
  throw new OperationRefused({ reason: 'unknown-vf' }, `There is no VF ${address} on host ${topology.host.id}.`);
}

export function findVm(topology: Topology, vmId: string): Vm {
  const vm = topology.vms.find((v) => v.id === vmId);
  if (vm) return vm;
  const known = topology.vms.map((v) => `${v.id} (${v.name})`).join(', ');
  throw new OperationRefused({ reason: 'unknown-vm', vmId }, `The ${topology.host.hypervisor} hypervisor has no VM "${vmId}"${known ? `; its VMs are ${known}` : ''}.`);
}

function findVfIn(topology: Topology, address: string): { vf: Vf; pf: Pf } | null {
  for (const pf of topology.pfs) {
    const vf = pf.vfs.find((v) => v.address === address);
    if (vf) return { vf, pf };
  }
  return null;
}

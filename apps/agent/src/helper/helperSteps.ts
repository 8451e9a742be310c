import type { AttachResult, Hypervisor, VmStates } from '@vfmap/hypervisors';
import type { SysfsPaths } from '@vfmap/sysfs';
import type { KernelWriter } from '../kernel/kernelWriter';

/**
 * The privileged steps, each taking checked values only. In one process the agent calls them
 * directly; split, the root helper runs them for the HTTP side's messages (helperService.ts).
 */
export interface PrivilegedSteps {
  /** Writes `count` to the PF's sriov_numvfs; rejects with the kernel's SysfsError. */
  setNumVfs(pf: string, count: number): Promise<void>;
  attach(vmId: string, address: string): Promise<AttachResult>;
  detach(vmId: string, address: string): Promise<AttachResult>;
}

/**
 * What the root helper does for the HTTP side: the privileged steps, and the reads only root may
 * make — `listVms`, Proxmox's `qm list` (helperResources.ts; other hypervisors' lists need no root).
 */
export interface HelperSteps extends PrivilegedSteps {
  listVms(): Promise<VmStates>;
}

export function localSteps(writer: KernelWriter, hypervisor: Hypervisor, paths: SysfsPaths): PrivilegedSteps {
  return {
    // The path is built here, from an address the caller checked, by the one module that knows sysfs's layout.
    setNumVfs: (pf, count) => writer.write(paths.pciDeviceFile(pf, 'sriov_numvfs'), String(count)),
    attach: (vmId, address) => hypervisor.attach(vmId, address),
    detach: (vmId, address) => hypervisor.detach(vmId, address),
  };
}

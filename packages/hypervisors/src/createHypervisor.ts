import type { HypervisorKind } from '@vfmap/model';
import type { Hypervisor, VmStates } from './hypervisor';
import { libvirtDomainFiles } from './libvirtDomainFiles';
import { libvirtHypervisor } from './libvirtHypervisor';
import { noneHypervisor } from './noneHypervisor';
import { proxmoxHypervisor } from './proxmoxHypervisor';
import { pvePaths } from './pvePaths';
import { createQm, type Qm } from './qm';
import { qmVmStates } from './qmVmStates';
import type { RunCommand } from './runCommand';
import { simulatedHypervisor } from './simulatedHypervisor';
import { createVirsh } from './virsh';

export interface HypervisorOptions {
  /** The directory that stands for `/` (ROOT/etc/pve, ROOT/etc/libvirt, ROOT/var/lib/vfmap-sim). Default `/`. */
  root?: string;
  /** Command paths, for tests that put a stand-in first (Proxmox's qm cannot run here). */
  virsh?: string;
  qm?: string;
  /** libvirt connection URI, default qemu:///system. */
  libvirtUri?: string;
  /** How long one virsh or qm command may run before it is killed. Default 60 s. */
  commandTimeoutMs?: number;
  /** Runs the commands; default execFile. */
  run?: RunCommand;
  /**
   * Proxmox: where the VM states come from instead of this process running `qm list`, which
   * only root may (the split agent's HTTP side asks its root helper). Other hypervisors ignore it.
   */
  vmStates?: () => Promise<VmStates>;
}

function commandOptions(options: HypervisorOptions) {
  return {
    ...(options.run ? { run: options.run } : {}),
    ...(options.commandTimeoutMs === undefined ? {} : { timeoutMs: options.commandTimeoutMs }),
  };
}

function qmOf(options: HypervisorOptions): Qm {
  return createQm({ ...commandOptions(options), ...(options.qm ? { path: options.qm } : {}) });
}

export function createHypervisor(kind: HypervisorKind, options: HypervisorOptions = {}): Hypervisor {
  const root = options.root ?? '/';
  switch (kind) {
    case 'proxmox': {
      const qm = qmOf(options);
      return proxmoxHypervisor(pvePaths(root), qm, options.vmStates ?? (() => qmVmStates(qm)));
    }
    case 'libvirt': {
      const virsh = createVirsh({ ...commandOptions(options), ...(options.virsh ? { path: options.virsh } : {}), ...(options.libvirtUri ? { uri: options.libvirtUri } : {}) });
      // ROOT/etc/libvirt and ROOT/run/libvirt: in a container, the host's, mounted with its /sys.
      return libvirtHypervisor(virsh, libvirtDomainFiles(root, virsh.uri));
    }
    case 'simulated':
      return simulatedHypervisor(root);
    case 'none':
      return noneHypervisor();
  }
}

/**
 * The listing of VM states that needs root, for the split agent's root helper to run for its
 * HTTP side: Proxmox's `qm list`. null for the others: `virsh -c qemu:///system` works for the
 * libvirt group, and the simulated hypervisor's state files are readable, so their HTTP side lists itself.
 */
export function createVmStateList(kind: HypervisorKind, options: HypervisorOptions = {}): (() => Promise<VmStates>) | null {
  if (kind !== 'proxmox') return null;
  const qm = qmOf(options);
  return () => qmVmStates(qm);
}

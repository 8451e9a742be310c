import type { HypervisorKind } from '@vfmap/model';
import type { Hypervisor } from './hypervisor';
import { libvirtDomainFiles } from './libvirtDomainFiles';
import { libvirtHypervisor } from './libvirtHypervisor';
import { noneHypervisor } from './noneHypervisor';
import { proxmoxHypervisor } from './proxmoxHypervisor';
import { pvePaths } from './pvePaths';
import { createQm } from './qm';
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
}

export function createHypervisor(kind: HypervisorKind, options: HypervisorOptions = {}): Hypervisor {
  const root = options.root ?? '/';
  const common = {
    ...(options.run ? { run: options.run } : {}),
    ...(options.commandTimeoutMs === undefined ? {} : { timeoutMs: options.commandTimeoutMs }),
  };
  switch (kind) {
    case 'proxmox':
      return proxmoxHypervisor(pvePaths(root), createQm({ ...common, ...(options.qm ? { path: options.qm } : {}) }));
    case 'libvirt': {
      const virsh = createVirsh({ ...common, ...(options.virsh ? { path: options.virsh } : {}), ...(options.libvirtUri ? { uri: options.libvirtUri } : {}) });
      // ROOT/etc/libvirt and ROOT/run/libvirt: in a container, the host's, mounted with its /sys.
      return libvirtHypervisor(virsh, libvirtDomainFiles(root, virsh.uri));
    }
    case 'simulated':
      return simulatedHypervisor(root);
    case 'none':
      return noneHypervisor();
  }
}

import type { HypervisorKind } from '@vfmap/model';
import type { Hypervisor } from './hypervisor';

export interface HypervisorOptions {
  /** The directory that stands for `/` (ROOT/etc/pve, ROOT/var/lib/vfmap-sim). Default `/`. */
  root?: string;
  /** Command paths, for tests that put a stand-in first (Proxmox's qm cannot run here). */
  virsh?: string;
  qm?: string;
  /** libvirt connection URI, default qemu:///system. */
  libvirtUri?: string;
}

export function createHypervisor(_kind: HypervisorKind, _options: HypervisorOptions = {}): Hypervisor {
  throw new Error('createHypervisor: not implemented yet');
}

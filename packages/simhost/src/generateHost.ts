import type { HostProfile } from './profiles';

export interface GeneratedHost {
  /** The directory that stands for `/`: ROOT/sys, ROOT/proc/sys/kernel, ROOT/usr/share/hwdata/pci.ids, ROOT/var/lib/vfmap-sim. */
  root: string;
  profile: HostProfile;
}

/** Writes a sysfs tree (and the simulated hypervisor's state) for `profile` into `dir`. */
export function generateHost(_dir: string, _profile: HostProfile): GeneratedHost {
  throw new Error('generateHost: not implemented yet');
}

import { join, relative, sep } from 'node:path';
import { PCI_IDS_LOCATIONS } from '@vfmap/model';

/**
 * Every place vfmap reads or writes under a root, built in this one module (as ghw's `linuxpath`):
 * "where does vfmap read X?" is answered here, and a test or the demo moves all of it by changing the root.
 */
export interface SysfsPaths {
  /** The directory that stands for `/`. */
  readonly root: string;
  /** `sys/bus/pci/devices`: one symlink per PCI function, named by its address, into `sys/devices/...`. */
  readonly pciDevices: string;
  /** `sys/bus/pci/drivers`: one directory per PCI driver (`bind`, `unbind`, `new_id`...). */
  readonly pciDrivers: string;
  /** `sys/bus/pci/drivers_probe`: writing an address makes the kernel probe it (honours driver_override). */
  readonly pciDriversProbe: string;
  /** `sys/kernel/iommu_groups`: `N/devices/<address>` per group; absent in partial captures. */
  readonly iommuGroups: string;
  /** `proc/sys/kernel/hostname`. */
  readonly procHostname: string;
  /** `proc/sys/kernel/osrelease`: the running kernel's release (`uname -r`). */
  readonly procOsRelease: string;
  /** `etc/hostname`: the configured hostname, read when /proc is not there (snapshots). */
  readonly etcHostname: string;
  /** pci.ids candidates in the order they are tried: model's PCI_IDS_LOCATIONS under the root. */
  readonly pciIds: readonly string[];
  /** A PCI function's directory (through its `sys/bus/pci/devices` link). */
  pciDevice(address: string): string;
  /** An attribute or link of a PCI function: `sriov_numvfs`, `driver`, `virtfn3`, `driver_override`... */
  pciDeviceFile(address: string, name: string): string;
  /** A PCI driver's directory, whose `bind` and `unbind` files take an address. */
  pciDriver(name: string): string;
  /** `sys/kernel/iommu_groups/<id>/devices`. */
  iommuGroupDevices(id: number | string): string;
  /** A path under the root as warnings show it: relative to the root, with `/` separators. */
  relative(path: string): string;
}

export function sysfsPaths(root = '/'): SysfsPaths {
  const under = (...parts: string[]) => join(root, ...parts);
  const pciDevices = under('sys/bus/pci/devices');
  const pciDrivers = under('sys/bus/pci/drivers');
  const iommuGroups = under('sys/kernel/iommu_groups');
  return {
    root,
    pciDevices,
    pciDrivers,
    pciDriversProbe: under('sys/bus/pci/drivers_probe'),
    iommuGroups,
    procHostname: under('proc/sys/kernel/hostname'),
    procOsRelease: under('proc/sys/kernel/osrelease'),
    etcHostname: under('etc/hostname'),
    pciIds: PCI_IDS_LOCATIONS.map((location) => under(location)),
    // Template strings, not join: these two are built for every device and group of a scan.
    pciDevice: (address) => `${pciDevices}/${address}`,
    pciDeviceFile: (address, name) => join(pciDevices, address, name),
    pciDriver: (name) => join(pciDrivers, name),
    iommuGroupDevices: (id) => `${iommuGroups}/${id}/devices`,
    relative: (path) => relative(root, path).split(sep).join('/'),
  };
}

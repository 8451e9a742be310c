import type { Device, Pf, Vf } from '@vfmap/model';
import type { PciFunction } from './pciFunction';
import type { PciIds } from './pciIds';
import type { ScanContext } from './scanContext';

export interface SortedFunctions {
  pfs: Pf[];
  devices: Device[];
}

/**
 * Sorts the functions read into PFs (with their VFs) and plain devices. A VF's PF and index come
 * from the PF's `virtfnN` links only; the VF's own `physfn` link is checked against them. Holders
 * are left null for the hypervisor adapters to fill in.
 *
 * `functions` must hold every function in address order; `readLate` reads a VF that a PF lists
 * but that was not there when sys/bus/pci/devices was listed (VFs come and go).
 */
export function buildFunctions(
  scan: ScanContext,
  functions: Map<string, PciFunction>,
  readLate: (address: string) => PciFunction | null,
  pciIds: PciIds | null,
): SortedFunctions {
  const vendorName = (f: PciFunction) => pciIds?.vendorName(f.vendorId) ?? null;
  const deviceName = (f: PciFunction) => pciIds?.deviceName(f.vendorId, f.deviceId) ?? null;
  const pfFunctions = [...functions.values()].filter((f) => f.sriov !== null);
  const claimed = new Set<string>();
  const pfs: Pf[] = [];

  for (const pf of pfFunctions) {
    const sriov = pf.sriov!;
    const vfs: Vf[] = [];
    for (const link of sriov.virtfns) {
      let vf = functions.get(link.address) ?? null;
      if (vf === null) {
        vf = readLate(link.address);
        if (vf === null) continue;
        functions.set(vf.address, vf);
      }
      if (claimed.has(vf.address)) {
        scan.warn('physfn-mismatch', `${vf.address} is listed by more than one PF; kept under the first`, scan.paths.pciDeviceFile(pf.address, `virtfn${link.index}`));
        continue;
      }
      if (vf.physfn !== pf.address) {
        scan.warn(
          'physfn-mismatch',
          vf.physfn === null
            ? `${vf.address} is virtfn${link.index} of ${pf.address} but has no physfn link`
            : `${vf.address} is virtfn${link.index} of ${pf.address} but its physfn link names ${vf.physfn}`,
          scan.paths.pciDeviceFile(vf.address, 'physfn'),
        );
      }
      claimed.add(vf.address);
      vfs.push({
        address: vf.address,
        index: link.index,
        pf: pf.address,
        vendorId: vf.vendorId,
        deviceId: vf.deviceId,
        driver: vf.driver,
        driverOverride: vf.driverOverride,
        netdevs: vf.netdevs,
        numaNode: vf.numaNode,
        iommuGroup: vf.iommuGroup,
        holder: null,
        // Settings live in the PF's netdev (netlink), not in sysfs: the agent adds them.
        config: null,
      });
    }
    if (sriov.numVfs !== sriov.virtfns.length) {
      scan.warn(
        'numvfs-mismatch',
        `${pf.address} reads sriov_numvfs ${sriov.numVfs} but has ${sriov.virtfns.length} virtfn links (VFs being created or removed?)`,
        scan.paths.pciDeviceFile(pf.address, 'sriov_numvfs'),
      );
    }
    pfs.push({
      address: pf.address,
      vendorId: pf.vendorId,
      deviceId: pf.deviceId,
      vendorName: vendorName(pf),
      deviceName: deviceName(pf),
      subsystemVendorId: pf.subsystemVendorId,
      subsystemDeviceId: pf.subsystemDeviceId,
      class: pf.class,
      driver: pf.driver,
      driverOverride: pf.driverOverride,
      netdevs: pf.netdevs,
      numaNode: pf.numaNode,
      iommuGroup: pf.iommuGroup,
      totalVfs: sriov.totalVfs,
      numVfs: sriov.numVfs,
      vfDeviceId: sriov.vfDeviceId,
      offset: sriov.offset,
      stride: sriov.stride,
      driversAutoprobe: sriov.driversAutoprobe,
      holder: null,
      vfs,
    });
  }

  const devices: Device[] = [];
  for (const f of functions.values()) {
    if (f.sriov !== null || claimed.has(f.address)) continue;
    if (f.physfn !== null) {
      scan.warn('orphan-vf', `${f.address} has a physfn link to ${f.physfn}, which does not list it; left out`, scan.paths.pciDeviceFile(f.address, 'physfn'));
      continue;
    }
    devices.push({
      address: f.address,
      vendorId: f.vendorId,
      deviceId: f.deviceId,
      vendorName: vendorName(f),
      deviceName: deviceName(f),
      class: f.class,
      driver: f.driver,
      driverOverride: f.driverOverride,
      numaNode: f.numaNode,
      iommuGroup: f.iommuGroup,
      netdevs: f.netdevs,
      holder: null,
    });
  }
  return { pfs, devices };
}

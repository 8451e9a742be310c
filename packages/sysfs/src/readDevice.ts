import { DirectoryReader, ReadAbort } from './readAttribute';
import type { ScanContext } from './scanContext';
import type { PciFunction } from './pciFunction';
import { parseDriverOverride, parseGroupId, parseNumaNode } from './parseAttribute';
import { readIdentity } from './readIdentity';
import { readNetdevs } from './readNetdevs';
import { readSriov } from './readSriov';

/**
 * Reads one PCI function through its `sys/bus/pci/devices/<address>` link. Returns null, with a
 * warning, when the function vanished during the read or lacks what every function has (vendor,
 * device, class): a device is reported whole or not at all.
 *
 * The directory is not listed (see DirectoryReader). An unbound or vfio-pci VF costs eleven
 * syscalls: readlink of physfn and iommu_group, then openat, pread64 and close of uevent, numa_node
 * and driver_override; its index comes from its PF's virtfnN link, and a group of VFs only is never
 * listed (readGroups). On the large profile a scan makes about 27 000 syscalls (lspci: 52 000). Reads that usually
 * succeed come last, so that `finish` seldom needs its existsSync.
 */
export function readDevice(scan: ScanContext, address: string): PciFunction | null {
  const owner = { dir: scan.paths.pciDevice(address), address };
  try {
    const dir = DirectoryReader.device(scan, owner);
    const physfn = dir.linkName('physfn');
    // A VF never has the SR-IOV capability (PCIe: VFs do not implement it; the kernel adds sriov_*
    // to physfns only), so only other functions are probed for sriov_totalvfs: a syscall per VF.
    const sriov = physfn === null && dir.has('sriov_totalvfs') ? readSriov(scan, dir.list(), address) : null;
    const identity = readIdentity(scan, dir, address, sriov !== null);
    const netdevs = readNetdevs(scan, dir, owner, identity.driver);
    const iommuGroup = readGroupLink(scan, dir, address);

    let numaNode: number | null = null;
    const numaText = dir.text('numa_node');
    if (numaText !== null) {
      const numa = parseNumaNode(numaText);
      if (numa.ok) numaNode = numa.value;
      else scan.warn('malformed', `numa_node of ${address} reads "${numaText}"`, dir.path('numa_node'));
    }

    const override = dir.text('driver_override');
    dir.finish();
    return {
      address,
      vendorId: identity.vendorId,
      deviceId: identity.deviceId,
      class: identity.class,
      subsystemVendorId: identity.subsystemVendorId,
      subsystemDeviceId: identity.subsystemDeviceId,
      driver: identity.driver,
      driverOverride: override === null ? null : parseDriverOverride(override),
      numaNode,
      iommuGroup,
      physfn,
      sriov,
      netdevs,
    };
  } catch (err) {
    if (err instanceof ReadAbort) {
      scan.warnings.push(err.warning);
      return null;
    }
    throw err;
  }
}

/** The group its `iommu_group` link names (readGroups lists the groups where that says more). */
function readGroupLink(scan: ScanContext, dir: DirectoryReader, address: string): number | null {
  const groupName = dir.linkName('iommu_group');
  if (groupName === null) return null;
  const id = parseGroupId(groupName);
  if (id === null) scan.warn('malformed', `iommu_group of ${address} points to "${groupName}"`, dir.path('iommu_group'));
  return id;
}

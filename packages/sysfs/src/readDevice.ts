import { DirectoryReader, ReadAbort } from './readAttribute';
import type { ScanContext } from './scanContext';
import type { PciFunction } from './pciFunction';
import { parseDriverOverride, parseGroupId, parseHexId, parseNumaNode } from './parseAttribute';
import { readNetdevs } from './readNetdevs';
import { readSriov } from './readSriov';

/**
 * Reads one PCI function through its `sys/bus/pci/devices/<address>` link. Returns null, with a
 * warning, when the function vanished during the read or lacks what every function has (vendor,
 * device, class): a device is reported whole or not at all.
 */
export function readDevice(scan: ScanContext, address: string): PciFunction | null {
  const owner = { dir: scan.paths.pciDevice(address), address };
  try {
    const dir = DirectoryReader.openDevice(scan, owner);
    const hexId = (name: string, width: number): string => {
      const text = dir.requiredText(name);
      const id = parseHexId(text, width);
      if (id === null) {
        throw new ReadAbort({ code: 'malformed', message: `${name} of ${address} reads "${text}"; left out`, path: scan.paths.relative(dir.path(name)) });
      }
      return id;
    };
    const optionalHexId = (name: string, width: number): string | null => {
      const text = dir.text(name);
      if (text === null) return null;
      const id = parseHexId(text, width);
      if (id === null) scan.warn('malformed', `${name} of ${address} reads "${text}"`, dir.path(name));
      return id;
    };

    const vendorId = hexId('vendor', 4);
    const deviceId = hexId('device', 4);
    const classCode = hexId('class', 6);

    let numaNode: number | null = null;
    const numaText = dir.text('numa_node');
    if (numaText !== null) {
      const numa = parseNumaNode(numaText);
      if (numa.ok) numaNode = numa.value;
      else scan.warn('malformed', `numa_node of ${address} reads "${numaText}"`, dir.path('numa_node'));
    }

    let iommuGroup: number | null = null;
    const groupName = dir.linkName('iommu_group');
    if (groupName !== null) {
      iommuGroup = parseGroupId(groupName);
      if (iommuGroup === null) scan.warn('malformed', `iommu_group of ${address} points to "${groupName}"`, dir.path('iommu_group'));
    }

    const override = dir.text('driver_override');
    const sriov = readSriov(scan, dir, address);
    return {
      address,
      vendorId,
      deviceId,
      class: classCode,
      // The model shows subsystem ids on PFs only; not reading them elsewhere saves two reads per VF.
      subsystemVendorId: sriov ? optionalHexId('subsystem_vendor', 4) : null,
      subsystemDeviceId: sriov ? optionalHexId('subsystem_device', 4) : null,
      driver: dir.linkName('driver'),
      driverOverride: override === null ? null : parseDriverOverride(override),
      numaNode,
      iommuGroup,
      physfn: dir.linkName('physfn'),
      sriov,
      netdevs: readNetdevs(scan, dir, owner),
    };
  } catch (err) {
    if (err instanceof ReadAbort) {
      scan.warnings.push(err.warning);
      return null;
    }
    throw err;
  }
}

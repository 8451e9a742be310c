import type { Netdev } from '@vfmap/model';
import type { SriovInfo } from './readSriov';

/** Everything read from one PCI function's directory, before it is sorted into PF, VF or plain device. */
export interface PciFunction {
  address: string;
  vendorId: string;
  deviceId: string;
  /** Six hex digits, no 0x. */
  class: string;
  subsystemVendorId: string | null;
  subsystemDeviceId: string | null;
  driver: string | null;
  driverOverride: string | null;
  numaNode: number | null;
  /** From its `iommu_group` link, or from its group's listing where the link is missing (readGroups). */
  iommuGroup: number | null;
  /** The address the `physfn` link names: set on VFs only. */
  physfn: string | null;
  /** Set on PFs only (a device with `sriov_totalvfs`). */
  sriov: SriovInfo | null;
  netdevs: Netdev[];
}

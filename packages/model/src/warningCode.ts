import { z } from 'zod';

/**
 * Every code a topology warning can carry: stable, so that the page and scripts may switch on
 * them, and exactly those something emits (the sysfs reader's and the hypervisor adapters' tests
 * make each one happen; warningCode.test.ts checks that each belongs to one of them).
 */
export const WarningCode = z.enum([
  // --- the sysfs reader (packages/sysfs) ---
  /** A device, attribute or netdev was listed and gone when read: the host changed during the scan. */
  'vanished',
  /** A file or directory exists but its read failed (EACCES, EIO, EISDIR...); also a hypervisor's config file. */
  'unreadable',
  /** An attribute every PCI function has (vendor, device, class) is not there; or sriov_numvfs beside sriov_totalvfs. */
  'missing-attribute',
  /** An attribute's text is not what the kernel writes. */
  'malformed',
  /** Where the kernel keeps a symlink (driver, iommu_group...) there is something else. */
  'not-a-link',
  /** An entry of sys/bus/pci/devices that is not a PCI address. */
  'not-a-pci-address',
  /** sys/bus/pci/devices itself cannot be listed: no PCI devices could be read. */
  'no-pci-devices',
  /** sys/kernel/iommu_groups is missing while devices have iommu_group links; groups were rebuilt from the links. */
  'iommu-groups-missing',
  /** An IOMMU group holds a member that is not a PCI function (it still shares the group). */
  'non-pci-group-member',
  /** A VF's physfn link does not name the PF whose virtfnN link lists it, or two PFs list one VF. */
  'physfn-mismatch',
  /** A device with a physfn link that no PF lists in its virtfnN links. */
  'orphan-vf',
  /** A PF's virtfnN link names a device that is not in sys/bus/pci/devices. */
  'vf-missing',
  /** A PF's sriov_numvfs differs from the number of its virtfnN links (VFs being created or destroyed). */
  'numvfs-mismatch',
  // --- the hypervisor adapters (packages/hypervisors) ---
  /** A VM's configuration (qemu-server conf, libvirt domain XML, pci.cfg) says something that cannot be understood. */
  'vm-config',
  /** The hypervisor could not be asked (VM states, domain list); the VMs it would name are unknown. */
  'hypervisor-unavailable',
  /** A Proxmox hostpci uses a mapping that cannot be resolved on this node. */
  'mapping-unresolved',
  /** A Proxmox hostpci uses a mapping with several devices; which one the VM gets is decided at its start. */
  'mapping-pool',
  /** A VM's configuration names a device this host does not have. */
  'holder-missing-device',
  /** Two VMs' configurations name the same device. */
  'holder-conflict',
  // --- the VF settings reader (packages/sysfs vfSettings.ts: `ip -j -d link show dev <pf>`) ---
  /** A PF's VF settings could not be read (no `ip`, its netdev gone, a timeout, output not understood): its VFs' config is null. */
  'vf-settings-unreadable',
  /** The kernel cut a PF's VF list short (hundreds of VFs): the VFs past the cut have config null. */
  'vf-list-truncated',
  // --- the fleet (apps/agent/src/fleet) ---
  /** The host's agent does not answer: this is the last topology another agent got from it. */
  'host-stale',
]);
export type WarningCode = z.infer<typeof WarningCode>;

/** The codes the sysfs reader emits. */
export const SysfsWarningCode = WarningCode.extract([
  'vanished',
  'unreadable',
  'missing-attribute',
  'malformed',
  'not-a-link',
  'not-a-pci-address',
  'no-pci-devices',
  'iommu-groups-missing',
  'non-pci-group-member',
  'physfn-mismatch',
  'orphan-vf',
  'vf-missing',
  'numvfs-mismatch',
]);
export type SysfsWarningCode = z.infer<typeof SysfsWarningCode>;

/** The codes the hypervisor adapters and annotateTopology emit. */
export const HypervisorWarningCode = WarningCode.extract([
  'unreadable',
  'vm-config',
  'hypervisor-unavailable',
  'mapping-unresolved',
  'mapping-pool',
  'holder-missing-device',
  'holder-conflict',
]);
export type HypervisorWarningCode = z.infer<typeof HypervisorWarningCode>;

/** The codes of the VF settings reader (its tests make each happen). */
export const VfSettingsWarningCode = WarningCode.extract(['vf-settings-unreadable', 'vf-list-truncated']);
export type VfSettingsWarningCode = z.infer<typeof VfSettingsWarningCode>;

/** What the fleet adds to a peer's topology when it serves it from what it kept (fleet tests make it happen). */
export const FleetWarningCode = WarningCode.extract(['host-stale']);
export type FleetWarningCode = z.infer<typeof FleetWarningCode>;

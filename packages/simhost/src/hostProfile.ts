import type { VmState } from '@vfmap/model';

/**
 * A host profile describes a machine the way its firmware and the kernel see it: root buses,
 * bridges, functions with their real PCI ids, drivers, SR-IOV capability values, net interfaces,
 * and the VMs of its hypervisor. generateHost() turns it into a sysfs tree; nothing here is a
 * file path or a file format.
 */
export interface HostProfile {
  name: string;
  description: string;
  hostname: string;
  /** /proc/sys/kernel/osrelease. */
  osRelease: string;
  /** /proc/cmdline (without the newline). */
  cmdline: string;
  cpus: CpuTopology;
  iommu: IommuSpec;
  rootBuses: RootBusSpec[];
  vms: VmSpec[];
  /**
   * Devices bound to vfio-pci (with driver_override) although no VM holds them — a DPDK
   * application on the host, say. Running and paused VMs' devices are bound to vfio-pci anyway.
   */
  vfioWithoutVm?: string[];
  /**
   * QEMU processes no VM config names — started by hand, or a device hot-plugged by hand: in the
   * simulated /proc with their `-device vfio-pci,host=` and their /dev/vfio fds (qemuProcesses.ts).
   * Their devices are bound to vfio-pci, as QEMU needs.
   */
  strayQemus?: Array<{ pid: number; name: string; hosts: string[] }>;
  /** qemu-server PCI reservations (`<pciid> <vmid> pid:<pid>`) left by a VM process that is gone. */
  staleReservations?: Array<{ address: string; vmId: string; pid: number }>;
  /**
   * The host's IPv4 default route (/proc/net/route) and the bridge it leaves by: Proxmox's
   * vmbr0 with its ports (sys/class/net/vmbr0/brif/). Absent: /proc/net/route has only its header.
   */
  network?: HostNetworkSpec;
  /** PCI drivers that are loaded but bound to nothing (their /sys/bus/pci/drivers/<name> exists). */
  extraDrivers?: string[];
  /**
   * Functions whose driver an administrator unbound after boot (`echo <address> >
   * /sys/bus/pci/drivers/<driver>/unbind`), once the VFs were enabled and the VMs' devices bound.
   * A PF driver whose remove() disables SR-IOV takes the VFs with it; nvme and pci-pf-stub leave
   * them behind, on a PF that no driver serves — the kernel then refuses every sriov_numvfs
   * write with ENOENT (probe.txt).
   */
  unboundAfterBoot?: string[];
  /**
   * Let sibling VFs share the inodes of writable attributes too, not only of read-only ones
   * (see writeEntries): thousands of VFs are written in a fraction of the time, and a write
   * through the simulated kernel still separates them, but a plain fs write to one VF's
   * attribute would show in its siblings. For benchmark trees.
   */
  shareWritableInodes?: boolean;
}

export interface HostNetworkSpec {
  /** The interface holding the default route: a bridge (`vmbr0`) or a port's own netdev. */
  defaultRouteVia: string;
  /** Gateway and the routed subnet, dotted quads ("192.0.2.1", "192.0.2.0/24"). */
  gateway: string;
  subnet: string;
  /** A Linux bridge made at boot: its name and the netdevs that are its ports. */
  bridge?: { name: string; ports: string[] };
}

export interface CpuTopology {
  /** Number of logical CPUs (nr_cpu_ids): sets the width of every cpumask. */
  count: number;
  /** NUMA nodes and their CPUs as a cpulist ("0-19,40-59"). */
  nodes: Array<{ id: number; cpulist: string }>;
}

export interface IommuSpec {
  enabled: boolean;
  /** /sys/kernel/iommu_groups/N/type: "DMA-FQ" (default domain), "identity" (iommu=pt), "DMA". */
  groupType: string;
}

export interface RootBusSpec {
  domain: number;
  bus: number;
  /** NUMA node of everything under this root; null: the firmware says nothing (numa_node -1). */
  numaNode: number | null;
  /** Name of the DMAR/AMD-Vi unit that translates for this root (`dmar0`). */
  iommuUnit: string;
  functions: PciFunctionSpec[];
}

export type BarKind = 'mem64pref' | 'mem64' | 'mem32' | 'io';

export interface BarSpec {
  index: number;
  size: number;
  kind: BarKind;
}

export interface PcieLinkSpec {
  /** max_link_speed as the kernel prints it: "16.0 GT/s PCIe". */
  maxSpeed: string;
  maxWidth: number;
  /** current_link_speed / current_link_width; default: the maximum. */
  speed?: string;
  width?: number;
}

export interface PciIdsSpec {
  vendor: number;
  device: number;
  subsystemVendor: number;
  subsystemDevice: number;
  /** 24-bit class code: 0x020000. */
  classCode: number;
  revision: number;
}

export interface NetdevSpec {
  name: string;
  mac: string;
  operState: 'up' | 'down' | 'unknown' | 'lowerlayerdown';
  /** Link speed in Mb/s while up; null when unknown (sysfs reads -1). Down links read nothing. */
  speedMbps: number | null;
  mtu?: number;
  /** phys_port_name ("p0" on mlx5); absent: the driver does not implement it. */
  physPortName?: string;
  devPort?: number;
  /** Number of rx/tx queues registered. */
  queues?: number;
}

export interface SriovSpec {
  /** sriov_totalvfs: the capability's TotalVFs, or the driver's cap (ixgbe 63, igb 7). */
  totalVfs: number;
  /** First VF Offset and VF Stride of the SR-IOV capability, in routing ids. */
  offset: number;
  stride: number;
  vfDeviceId: number;
  /** VFs the boot script enables (a systemd unit writing sriov_numvfs). */
  numVfs: number;
  /** sriov_drivers_autoprobe at the time the VFs are created. */
  autoprobe: boolean;
  vfSubsystemVendor: number;
  vfSubsystemDevice: number;
  vfRevision: number;
  vfBars: BarSpec[];
  /** The netdev name udev gives VF n (`ens1f0v{n}`); absent: the kernel's next free ethN. */
  vfNetdevName?: string;
  /** VF netdevs come up with this operstate (most stay down on the host). */
  vfNetdevOperState?: 'up' | 'down';
  /** sriov_vf_total_msix (non-zero only for drivers with dynamic MSI-X, mlx5). */
  vfTotalMsix?: number;
  /** MSI-X vectors a VF driver enables (names under msi_irqs/). */
  vfMsixVectors?: number;
  /** PCIe link attributes of the VFs; default: the PF's. */
  vfLink?: PcieLinkSpec;
  /** AER attributes on the VFs. */
  vfAer?: boolean;
  /** Seed for the random MACs VF drivers assign (iavf, igbvf, ixgbevf do). */
  vfMacSeed?: string;
  /**
   * The VFs join the PF's IOMMU group instead of getting one each. Without ACS on the PF the
   * IOMMU cannot keep its functions from reaching each other, so pci_device_group() puts every
   * VF in the group of the PF (the I350 and 82576 on many boards): no VF can go to a VM alone.
   */
  vfsInPfGroup?: boolean;
}

export interface PciFunctionSpec {
  device: number;
  fn: number;
  ids: PciIdsSpec;
  /** The driver bound at boot; null: none. */
  driver: string | null;
  bars?: BarSpec[];
  romSize?: number;
  /** Legacy interrupt line (irq); 0: none. */
  irq?: number;
  /** MSI/MSI-X vectors the driver enables (names under msi_irqs/). */
  msiVectors?: number;
  /** PCIe link attributes; null or absent: root-complex integrated or conventional PCI. */
  link?: PcieLinkSpec | null;
  /** Has Advanced Error Reporting (aer_dev_* files). */
  aer?: boolean;
  /** reset_method contents ("flr bus"); absent: the function cannot be reset (no file). */
  resetMethod?: string;
  /** ari_enabled. */
  ari?: boolean;
  /** Has a PCI Power Management capability (default true); host bridges and LPC bridges often lack it. */
  powerManagement?: boolean;
  sriov?: SriovSpec;
  /**
   * SR-IOV capable silicon with SR-IOV switched off: the SR-IOV extended capability is in the
   * config space (which then is 4 KiB) but the kernel made no sriov_* files — TotalVFs 0 there
   * when the firmware switched it off, or a TotalVFs whose VF BARs got no window. Not with `sriov`.
   */
  sriovOffInFirmware?: { totalVfs: number; offset: number; stride: number; vfDeviceId: number };
  netdev?: NetdevSpec;
  /** Functions that share this key share one IOMMU group (no ACS between them). */
  sharedGroup?: string;
  /** Physical slot (sys/bus/pci/slots/<slot>), for cards in slots. */
  slot?: string;
  /** SMBIOS type 41 onboard device: `label` and `acpi_index` files (udev's eno<index>). */
  onboard?: { label: string; acpiIndex: number };
  /** A bridge: its secondary bus and what sits on it. */
  bridge?: BridgeSpec;
  /** Where the ACPI companion is (firmware_node); absent: no ACPI companion. */
  firmwareNode?: string;
}

export interface BridgeSpec {
  secondaryBus: number;
  functions: PciFunctionSpec[];
  /** Port service devices (pcieport's `0000:00:02.0:pcie001` children). */
  portServices?: string[];
}

export interface VmSpec {
  id: string;
  name: string;
  state: VmState;
  numaNode: number | null;
  hostdevs: HostdevSpec[];
}

export interface HostdevSpec {
  address: string;
  via: string;
  pending?: boolean;
  /**
   * What the running VM's QEMU holds for this config entry: absent, the address itself; null,
   * nothing (a hot-plug that failed, or a device removed from the running VM by hand); another
   * address, that one instead (a device swapped by hand while the config still names the first).
   */
  live?: string | null;
}

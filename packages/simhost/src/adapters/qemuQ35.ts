import type { PciFunctionSpec, PciIdsSpec } from '../hostProfile';
import { KB, pcieLink } from './nicPort';

/**
 * QEMU's q35 machine as the realkernel guest had it (test/realkernel/README.md, "Guest
 * hardware"): the Q35 host bridge, pcie-root-ports (1b36:000c), the ICH9 functions at 1f.0/.2/.3
 * sharing one IOMMU group, virtio devices, QEMU's NVMe controller with SR-IOV (1b36:0010,
 * totalvfs 8, offset 1, stride 1, VF device 0010) and the e1000e NIC. Ids, classes, revisions and
 * subsystems are the ones the real kernel read (baseline.tar.xz).
 */
const qemu = (vendor: number, device: number, classCode: number, revision: number, sub: [number, number] = [0x1af4, 0x1100]): PciIdsSpec => ({
  vendor,
  device,
  subsystemVendor: sub[0],
  subsystemDevice: sub[1],
  classCode,
  revision,
});

const ACPI_PCI0 = 'LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00';

export function q35HostBridge(): PciFunctionSpec {
  return { device: 0, fn: 0, ids: qemu(0x8086, 0x29c0, 0x060000, 0x00), driver: null, powerManagement: false, firmwareNode: `${ACPI_PCI0}/device:00` };
}

export function q35RootPort(o: { device: number; secondaryBus: number; functions: PciFunctionSpec[]; irq?: number; acpi: number }): PciFunctionSpec {
  return {
    device: o.device,
    fn: 0,
    ids: qemu(0x1b36, 0x000c, 0x060400, 0x00, [0x1b36, 0x0000]),
    driver: 'pcieport',
    bars: [{ index: 0, size: 4 * KB, kind: 'mem32' }],
    irq: o.irq ?? 22,
    msiVectors: 1,
    link: pcieLink(4, 32, { gen: 1, width: 1 }),
    aer: true,
    firmwareNode: `${ACPI_PCI0}/device:${o.acpi.toString(16).padStart(2, '0')}`,
    bridge: { secondaryBus: o.secondaryBus, functions: o.functions, portServices: ['pcie001', 'pcie002', 'pcie010'] },
  };
}

/** ICH9 LPC, AHCI and SMBus at 00:1f.0/.2/.3: no ACS between them, one IOMMU group. */
export function ich9(): PciFunctionSpec[] {
  return [
    { device: 0x1f, fn: 0, ids: qemu(0x8086, 0x2918, 0x060100, 0x02), driver: 'lpc_ich', powerManagement: false, sharedGroup: 'ich9', firmwareNode: `${ACPI_PCI0}/device:0a` },
    {
      device: 0x1f,
      fn: 2,
      ids: qemu(0x8086, 0x2922, 0x010601, 0x02),
      driver: 'ahci',
      bars: [
        { index: 4, size: 32, kind: 'io' },
        { index: 5, size: 4 * KB, kind: 'mem32' },
      ],
      irq: 39,
      msiVectors: 1,
      sharedGroup: 'ich9',
    },
    {
      device: 0x1f,
      fn: 3,
      ids: qemu(0x8086, 0x2930, 0x0c0500, 0x02),
      driver: 'i801_smbus',
      bars: [{ index: 4, size: 64, kind: 'io' }],
      irq: 16,
      sharedGroup: 'ich9',
      firmwareNode: `${ACPI_PCI0}/device:0b`,
    },
  ];
}

/** virtio-9p (1af4:1009), the shares the harness mounts. */
export function virtio9p(device: number, o: { irq: number; acpi: number }): PciFunctionSpec {
  return {
    device,
    fn: 0,
    ids: qemu(0x1af4, 0x1009, 0x000200, 0x00, [0x1af4, 0x0009]),
    driver: 'virtio-pci',
    bars: [
      { index: 0, size: 4 * KB, kind: 'mem32' },
      { index: 1, size: 4 * KB, kind: 'mem32' },
      { index: 4, size: 16 * KB, kind: 'mem64pref' },
    ],
    irq: o.irq,
    msiVectors: 2,
    firmwareNode: `${ACPI_PCI0}/device:${o.acpi.toString(16).padStart(2, '0')}`,
  };
}

/** QEMU's NVMe controller with SR-IOV, exactly as the real kernel showed it. */
export function qemuNvme(o: { irq: number; firmwareNode: string }): PciFunctionSpec {
  return {
    device: 0,
    fn: 0,
    ids: qemu(0x1b36, 0x0010, 0x010802, 0x02),
    driver: 'nvme',
    bars: [{ index: 0, size: 16 * KB, kind: 'mem64' }],
    irq: o.irq,
    msiVectors: 1,
    link: pcieLink(1, 1),
    ari: true,
    resetMethod: 'flr bus',
    firmwareNode: o.firmwareNode,
    sriov: {
      totalVfs: 8,
      offset: 1,
      stride: 1,
      vfDeviceId: 0x0010,
      numVfs: 0,
      autoprobe: true,
      vfSubsystemVendor: 0x1af4,
      vfSubsystemDevice: 0x1100,
      vfRevision: 0x02,
      vfBars: [{ index: 0, size: 16 * KB, kind: 'mem64' }],
      vfMsixVectors: 1,
    },
  };
}

/** QEMU's e1000e (8086:10d3, 82574L) — the guest's plain NIC, eth0. */
export function e1000e(o: { mac: string; firmwareNode: string }): PciFunctionSpec {
  return {
    device: 0,
    fn: 0,
    ids: qemu(0x8086, 0x10d3, 0x020000, 0x00, [0x8086, 0x0000]),
    driver: 'e1000e',
    bars: [
      { index: 0, size: 128 * KB, kind: 'mem32' },
      { index: 1, size: 128 * KB, kind: 'mem32' },
      { index: 2, size: 32, kind: 'io' },
      { index: 3, size: 16 * KB, kind: 'mem32' },
    ],
    romSize: 256 * KB,
    irq: 20,
    msiVectors: 3,
    link: pcieLink(1, 1),
    aer: true,
    resetMethod: 'pm bus',
    firmwareNode: o.firmwareNode,
    netdev: { name: 'eth0', mac: o.mac, operState: 'up', speedMbps: 1000, queues: 1 },
  };
}

import { e1000e, ich9, q35HostBridge, q35RootPort, qemuNvme, virtio9p } from '../adapters/qemuQ35';
import type { HostProfile } from '../hostProfile';

const ACPI_PCI0 = 'LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00';

/**
 * The realkernel QEMU guest itself (test/realkernel, default layout): q35, Intel IOMMU, two
 * NVMe PFs with SR-IOV (8 VFs each, offset 1, stride 1) and an e1000e. Its tree can be laid next
 * to the one the real kernel made (fixtures/realkernel/baseline.tar.xz), and the
 * probe's writes replayed against its simulated kernel.
 */
export const qemuQ35: HostProfile = {
  name: 'qemu-q35',
  description: 'the realkernel QEMU guest: q35, two NVMe SR-IOV PFs (8 VFs each), e1000e',
  hostname: 'rk-guest',
  osRelease: '6.1.0-56-amd64',
  cmdline: 'console=ttyS0,115200 intel_iommu=on panic=-1 loglevel=4 rk.netup=1',
  cpus: { count: 2, nodes: [{ id: 0, cpulist: '0-1' }] },
  iommu: { enabled: true, groupType: 'DMA-FQ' },
  rootBuses: [
    {
      domain: 0,
      bus: 0,
      numaNode: null,
      iommuUnit: 'dmar0',
      functions: [
        q35HostBridge(),
        q35RootPort({ device: 2, secondaryBus: 1, acpi: 0x01, functions: [qemuNvme({ irq: 22, firmwareNode: `${ACPI_PCI0}/device:01/device:02` })] }),
        q35RootPort({ device: 3, secondaryBus: 2, acpi: 0x03, irq: 23, functions: [qemuNvme({ irq: 23, firmwareNode: `${ACPI_PCI0}/device:03/device:04` })] }),
        q35RootPort({
          device: 4,
          secondaryBus: 3,
          acpi: 0x05,
          irq: 20,
          functions: [e1000e({ mac: '52:54:00:12:34:56', firmwareNode: `${ACPI_PCI0}/device:05/device:06` })],
        }),
        virtio9p(0x10, { irq: 20, acpi: 0x07 }),
        virtio9p(0x11, { irq: 21, acpi: 0x08 }),
        virtio9p(0x12, { irq: 22, acpi: 0x09 }),
        ...ich9(),
      ],
    },
  ],
  vms: [],
  extraDrivers: ['vfio-pci', 'pci-pf-stub'],
};

import { vfAddressOf } from '@vfmap/model';
import { intel82576, intel82576WithoutAcs } from '../adapters/intel82576';
import { ich9, q35HostBridge, q35RootPort } from '../adapters/qemuQ35';
import type { HostProfile } from '../hostProfile';

const ACPI_PCI0 = 'LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00';
/** An 82576 behind an ACS-capable port: each VF in its own IOMMU group. */
const IGB_A = '0000:01:00.0';
/** An 82576 without ACS: its VFs share the PF's IOMMU group. */
const IGB_B = '0000:02:00.0';
/** The 82576's VF routing: offset 128, stride 2. */
const vfA = (index: number) => vfAddressOf(IGB_A, 128, 2, index)!;
const vfB = (index: number) => vfAddressOf(IGB_B, 128, 2, index)!;

/**
 * A Proxmox host where the VM configs and what runs disagree in every way the drift findings know,
 * one finding of each kind (findDrift):
 * - web (100, running) has VF 0 as configured; its hostpci1 (VF 1) failed to hot-plug: configured-not-held;
 * - db (101, running) is configured with VF 2 but its QEMU holds VF 3 (swapped by hand): holds-a-different-vf;
 * - a QEMU started by hand ("scratch", pid 5150) holds VF 4: held-not-configured;
 * - batch (102, stopped) last ran with VF 5: its process died, leaving the reservation (stale-reservation)
 *   and VF 5 on vfio-pci (vfio-bound-without-holder); its config names VF 6, which does not exist since
 *   the count was lowered to 6 (config-names-missing-vf);
 * - ci (103, running) holds VF 0 of the second 82576, lab (104, stopped) is configured with its VF 1: the
 *   two share one IOMMU group (group-shared-with-another-vm).
 */
export const drift: HostProfile = {
  name: 'drift',
  description: 'VM configs and running QEMUs that disagree: one drift finding of each kind',
  hostname: 'pve-drift',
  osRelease: '6.8.12-4-pve',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet intel_iommu=on iommu=pt',
  cpus: { count: 4, nodes: [{ id: 0, cpulist: '0-3' }] },
  iommu: { enabled: true, groupType: 'DMA' },
  rootBuses: [
    {
      domain: 0,
      bus: 0,
      numaNode: null,
      iommuUnit: 'dmar0',
      functions: [
        q35HostBridge(),
        q35RootPort({
          device: 2,
          secondaryBus: 1,
          acpi: 0x01,
          functions: [intel82576({ ifname: 'enp1s0', mac: '52:54:00:12:36:01', numVfs: 6, firmwareNode: `${ACPI_PCI0}/device:01/device:02` })],
        }),
        q35RootPort({ device: 3, secondaryBus: 2, acpi: 0x03, irq: 23, functions: [intel82576WithoutAcs({ ifname: 'enp2s0', mac: '52:54:00:12:36:02', numVfs: 3, firmwareNode: `${ACPI_PCI0}/device:03/device:04` })] }),
        ...ich9(),
      ],
    },
  ],
  vms: [
    {
      id: '100', name: 'web', state: 'running', numaNode: null,
      hostdevs: [{ address: vfA(0), via: 'hostpci0' }, { address: vfA(1), via: 'hostpci1', live: null }],
    },
    { id: '101', name: 'db', state: 'running', numaNode: null, hostdevs: [{ address: vfA(2), via: 'hostpci0', live: vfA(3) }] },
    { id: '102', name: 'batch', state: 'stopped', numaNode: null, hostdevs: [{ address: vfA(6), via: 'hostpci0' }] },
    { id: '103', name: 'ci', state: 'running', numaNode: null, hostdevs: [{ address: vfB(0), via: 'hostpci0' }] },
    { id: '104', name: 'lab', state: 'stopped', numaNode: null, hostdevs: [{ address: vfB(1), via: 'hostpci0' }] },
  ],
  strayQemus: [{ pid: 5150, name: 'scratch', hosts: [vfA(4)] }],
  staleReservations: [{ address: vfA(5), vmId: '102', pid: 4999 }],
  vfioWithoutVm: [vfA(5)],
};

import { vfAddressOf } from '@vfmap/model';
import { intel82576 } from '../adapters/intel82576';
import { ich9, q35HostBridge, q35RootPort } from '../adapters/qemuQ35';
import type { HostProfile } from '../hostProfile';

const PF = '0000:01:00.0';

/**
 * One small SR-IOV NIC: a KVM guest (q35) with an 82576 (igb, 7 VFs, offset 128, stride 2) of
 * which 2 VFs are enabled; one VM holds VF 0 through vfio-pci, VF 1 is free. The ICH9 functions
 * share an IOMMU group.
 */
export const minimal: HostProfile = {
  name: 'minimal',
  description: 'one igb 82576 with 2 of 7 VFs, one VM holding one of them',
  hostname: 'sriov-mini',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/vda1 ro intel_iommu=on',
  cpus: { count: 4, nodes: [{ id: 0, cpulist: '0-3' }] },
  iommu: { enabled: true, groupType: 'DMA-FQ' },
  rootBuses: [
    {
      domain: 0,
      bus: 0,
      numaNode: null,
      iommuUnit: 'dmar0',
      functions: [
        q35HostBridge(),
        q35RootPort({ device: 2, secondaryBus: 1, acpi: 0x01, functions: [intel82576({ ifname: 'enp1s0', mac: '52:54:00:12:35:01', numVfs: 2 })] }),
        ...ich9(),
      ],
    },
  ],
  vms: [
    { id: '100', name: 'edge-vm', state: 'running', numaNode: null, hostdevs: [{ address: vfAddressOf(PF, 128, 2, 0)!, via: 'hostpci0' }] },
    { id: '101', name: 'spare-vm', state: 'stopped', numaNode: null, hostdevs: [] },
  ],
};

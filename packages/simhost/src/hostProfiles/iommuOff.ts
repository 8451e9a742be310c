import { c620Pch } from '../adapters/c620Pch';
import { intelX710DA2 } from '../adapters/intelX710';
import { skxHostBridge, skxRootPort } from '../adapters/skylakeSp';
import type { HostProfile } from '../hostProfile';

/**
 * A host booted without an IOMMU (no intel_iommu=on): sys/kernel/iommu_groups exists and is
 * empty, no device has an iommu or iommu_group link, and no VF can be passed through — the VMs
 * hold nothing. An X710 has 4 VFs on iavf, used by the host itself.
 */
export const iommuOff: HostProfile = {
  name: 'iommu-off',
  description: 'no IOMMU: an X710 with 4 host-used VFs, no IOMMU groups, VMs without devices',
  hostname: 'noiommu-01',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda2 ro quiet',
  cpus: { count: 16, nodes: [{ id: 0, cpulist: '0-15' }] },
  iommu: { enabled: false, groupType: 'DMA' },
  rootBuses: [
    { domain: 0, bus: 0, numaNode: 0, iommuUnit: 'dmar1', functions: [skxHostBridge(), ...c620Pch({ i210Mac: 'ac:1f:6b:77:30:02' })] },
    {
      domain: 0,
      bus: 0x17,
      numaNode: 0,
      iommuUnit: 'dmar0',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 8,
          bridge: { secondaryBus: 0x18, functions: intelX710DA2({ slot: '1', ifname: 'ens1', mac: '3c:fd:fe:10:20:30', numVfs: [4, 0] }) },
        }),
      ],
    },
  ],
  vms: [
    { id: '301', name: 'app-01', state: 'running', numaNode: 0, hostdevs: [] },
    { id: '302', name: 'app-02', state: 'stopped', numaNode: 0, hostdevs: [] },
  ],
};

import { vfAddressOf } from '@vfmap/model';
import { c620Pch } from '../adapters/c620Pch';
import { intelE810CQ1 } from '../adapters/intelE810';
import { skxHostBridge, skxRootPort } from '../adapters/skylakeSp';
import type { HostProfile } from '../hostProfile';

const PF = '0000:ff:00.0';

/**
 * The end of the bus numbers: the firmware gave the last root port secondary bus ff, and behind it
 * sits a single-port E810 (256 VFs, offset 8, stride 1). VF 247 lands on routing id 0xffff
 * (ff:1f.7); VF 248 and above would need bus 0x100, which does not exist, so only 248 of the
 * 256 VFs can ever be enabled (sriov_enable answers ENOMEM beyond). 8 VFs are enabled, one VM
 * holds VF 0.
 */
export const busEnd: HostProfile = {
  name: 'bus-end',
  description: 'a single-port E810 on bus ff: only 248 of its 256 VFs have a PCI address',
  hostname: 'busend-01',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda2 ro quiet intel_iommu=on iommu=pt',
  cpus: { count: 16, nodes: [{ id: 0, cpulist: '0-15' }] },
  iommu: { enabled: true, groupType: 'DMA' },
  rootBuses: [
    { domain: 0, bus: 0, numaNode: 0, iommuUnit: 'dmar1', functions: [skxHostBridge(), ...c620Pch({ i210Mac: 'ac:1f:6b:77:40:02' })] },
    {
      domain: 0,
      bus: 0xd7,
      numaNode: 0,
      iommuUnit: 'dmar0',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 16,
          bridge: { secondaryBus: 0xff, functions: intelE810CQ1({ slot: '1', ifname: 'ens1', mac: 'b4:96:91:a5:90:00', numVfs: [8] }) },
        }),
      ],
    },
  ],
  vms: [
    { id: '401', name: 'edge-router', state: 'running', numaNode: 0, hostdevs: [{ address: vfAddressOf(PF, 8, 1, 0)!, via: 'hostpci0' }] },
    { id: '402', name: 'spare', state: 'stopped', numaNode: 0, hostdevs: [] },
  ],
};

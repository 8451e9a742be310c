import { c620Pch } from '../adapters/c620Pch';
import { skxHostBridge, skxIioUtility, skxRootPort } from '../adapters/skylakeSp';
import { nvidiaTeslaT4, samsungPm9a3 } from '../adapters/storageAndGpu';
import type { HostProfile } from '../hostProfile';

/**
 * A host with no SR-IOV PF at all: a single-socket Xeon with the onboard I210 (igb, no SR-IOV),
 * two NVMe SSDs and a GPU passed through to a VM.
 */
export const noSriov: HostProfile = {
  name: 'no-sriov',
  description: 'single socket, I210 onboard, NVMe, a T4 passed through; no SR-IOV PF',
  hostname: 'plain-01',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/nvme0n1p2 ro intel_iommu=on',
  cpus: { count: 32, nodes: [{ id: 0, cpulist: '0-31' }] },
  iommu: { enabled: true, groupType: 'DMA-FQ' },
  rootBuses: [
    { domain: 0, bus: 0, numaNode: 0, iommuUnit: 'dmar3', functions: [skxHostBridge(), ...skxIioUtility(0, true), ...c620Pch({ i210Mac: 'ac:1f:6b:90:01:12' })] },
    {
      domain: 0,
      bus: 0x17,
      numaNode: 0,
      iommuUnit: 'dmar0',
      functions: [
        skxRootPort({ device: 0, port: 'A', width: 4, bridge: { secondaryBus: 0x18, functions: [samsungPm9a3({ slot: '1' })] } }),
        skxRootPort({ device: 2, port: 'C', width: 4, bridge: { secondaryBus: 0x19, functions: [samsungPm9a3({ slot: '2' })] } }),
      ],
    },
    {
      domain: 0,
      bus: 0x3a,
      numaNode: 0,
      iommuUnit: 'dmar1',
      functions: [skxRootPort({ device: 0, port: 'A', width: 16, bridge: { secondaryBus: 0x3b, functions: [nvidiaTeslaT4({ slot: '3' })] } })],
    },
  ],
  vms: [
    { id: '201', name: 'cad-workstation', state: 'running', numaNode: 0, hostdevs: [{ address: '0000:3b:00.0', via: 'hostpci0' }] },
    { id: '202', name: 'ci-runner', state: 'stopped', numaNode: 0, hostdevs: [] },
  ],
};

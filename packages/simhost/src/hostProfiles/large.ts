import { vfAddressOf } from '@vfmap/model';
import { c620Pch } from '../adapters/c620Pch';
import { intelE810CQ1 } from '../adapters/intelE810';
import { skxCbdma, skxHostBridge, skxIioUtility, skxRootPort, skxUncore } from '../adapters/skylakeSp';
import { nvidiaTeslaT4, samsungPm9a3 } from '../adapters/storageAndGpu';
import type { HostProfile, PciFunctionSpec, VmSpec } from '../hostProfile';

/** Root ports at dd:00.0 and dd:02.0 of a stack, each with a single-port E810 using all 256 VFs. */
function e810Pair(firstSecondary: number, firstSlot: number): PciFunctionSpec[] {
  return [0, 1].map((i) => {
    const secondary = firstSecondary + 2 * i;
    const slot = firstSlot + i;
    return skxRootPort({
      device: 2 * i,
      port: i === 0 ? 'A' : 'C',
      width: 16,
      bridge: {
        secondaryBus: secondary,
        functions: intelE810CQ1({
          slot: String(slot),
          ifname: `ens${slot}`,
          mac: `b4:96:91:c0:${slot.toString(16).padStart(2, '0')}:00`,
          numVfs: [256],
          // VFs for DPDK and VMs: nothing on the host probes them.
          autoprobe: [false],
        }),
      },
    });
  });
}

const PF_BUSES = [0x18, 0x1a, 0x3b, 0x3d, 0x86, 0x88, 0xaf, 0xb1];
const pfAddress = (i: number) => `0000:${PF_BUSES[i]!.toString(16)}:00.0`;

/** 16 running VMs with 6 VFs each (vfio-pci), spread over the PFs; 4 stopped ones with 2 each. */
function vms(): VmSpec[] {
  const out: VmSpec[] = [];
  for (let v = 0; v < 20; v++) {
    const running = v < 16;
    const count = running ? 6 : 2;
    out.push({
      id: String(1000 + v),
      name: `${running ? 'vnf' : 'spare'}-${String(v).padStart(2, '0')}`,
      state: running ? 'running' : 'stopped',
      numaNode: PF_BUSES[v % 8]! < 0x80 ? 0 : 1,
      hostdevs: Array.from({ length: count }, (_, k) => ({
        address: vfAddressOf(pfAddress((v + k) % 8), 8, 1, 16 * Math.floor(v / 8) + k + (running ? 0 : 200))!,
        via: `hostpci${k}`,
      })),
    });
  }
  return out;
}

/**
 * For benchmarks: a two-socket host with eight single-port E810-C (256 VFs each, all enabled,
 * spilling onto a second bus per card) and exactly 100 other functions — IIO root ports and
 * utility functions, CBDMA, uncore, the PCH, four NVMe SSDs and a GPU: 2156 PCI functions.
 */
export const large: HostProfile = {
  name: 'large',
  description: '8 × E810-C with 256 VFs each + 100 other functions (2156 PCI functions)',
  hostname: 'hv-large-01',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/mapper/vg0-root ro quiet intel_iommu=on iommu=pt',
  cpus: {
    count: 112,
    nodes: [
      { id: 0, cpulist: '0-27,56-83' },
      { id: 1, cpulist: '28-55,84-111' },
    ],
  },
  iommu: { enabled: true, groupType: 'identity' },
  rootBuses: [
    {
      domain: 0,
      bus: 0x00,
      numaNode: 0,
      iommuUnit: 'dmar8',
      functions: [skxHostBridge(), ...skxCbdma(0), ...skxIioUtility(0, true), ...c620Pch({ i210Mac: 'ac:1f:6b:f0:00:10', withSsata: true })],
    },
    { domain: 0, bus: 0x17, numaNode: 0, iommuUnit: 'dmar0', functions: [...e810Pair(0x18, 1), ...skxIioUtility(0x17)] },
    { domain: 0, bus: 0x3a, numaNode: 0, iommuUnit: 'dmar1', functions: [...e810Pair(0x3b, 3), ...skxIioUtility(0x3a)] },
    {
      domain: 0,
      bus: 0x5d,
      numaNode: 0,
      iommuUnit: 'dmar2',
      functions: [
        ...[0, 1, 2, 3].map((i) =>
          skxRootPort({ device: i, port: (['A', 'B', 'C', 'D'] as const)[i]!, width: 4, bridge: { secondaryBus: 0x5e + i, functions: [samsungPm9a3({ slot: String(20 + i) })] } }),
        ),
        ...skxIioUtility(0x5d),
      ],
    },
    { domain: 0, bus: 0x64, numaNode: 0, iommuUnit: 'dmar3', functions: skxUncore(0x64) },
    { domain: 0, bus: 0x85, numaNode: 1, iommuUnit: 'dmar4', functions: [...e810Pair(0x86, 5), ...skxIioUtility(0x85)] },
    { domain: 0, bus: 0xae, numaNode: 1, iommuUnit: 'dmar5', functions: [...e810Pair(0xaf, 7), ...skxIioUtility(0xae)] },
    {
      domain: 0,
      bus: 0xd7,
      numaNode: 1,
      iommuUnit: 'dmar6',
      functions: [skxRootPort({ device: 0, port: 'A', width: 16, bridge: { secondaryBus: 0xd8, functions: [nvidiaTeslaT4({ slot: '9' })] } }), ...skxIioUtility(0xd7)],
    },
    { domain: 0, bus: 0xe0, numaNode: 1, iommuUnit: 'dmar7', functions: skxUncore(0xe0, [0x0e]) },
  ],
  vms: vms(),
  shareWritableInodes: true,
};

import { vfAddressOf } from '@vfmap/model';
import { c620Pch } from '../adapters/c620Pch';
import { intelE810CQ2 } from '../adapters/intelE810';
import { intelX520DA2 } from '../adapters/intel82599';
import { intelX710DA2 } from '../adapters/intelX710';
import { mellanoxCx6Dx } from '../adapters/mellanoxCx6Dx';
import { skxHostBridge, skxIioUtility, skxRootPort } from '../adapters/skylakeSp';
import { nvidiaTeslaT4, samsungPm9a3 } from '../adapters/storageAndGpu';
import type { HostProfile } from '../hostProfile';

// The PFs, so that VMs can name VFs by PF and index (addresses follow offset and stride).
const E810_P0 = '0000:18:00.0';
const E810_P1 = '0000:18:00.1';
const X710_P0 = '0000:3b:00.0';
const X520_P0 = '0000:86:00.0';
const X520_P1 = '0000:86:00.1';
const CX6_P0 = '0000:af:00.0';
// Every VF named here lies below bus ff, so each has an address.
const e810Vf = (pf: string, n: number) => vfAddressOf(pf, pf === E810_P0 ? 8 : 135, 1, n)!;
const x710Vf = (n: number) => vfAddressOf(X710_P0, 16, 1, n)!;
const x520Vf = (pf: string, n: number) => vfAddressOf(pf, 128, 2, n)!;
const cx6Vf = (n: number) => vfAddressOf(CX6_P0, 2, 1, n)!;

/**
 * What `npm start` shows: a two-socket Xeon Scalable (Skylake-SP) virtualisation host, a
 * Supermicro X11 board. Socket 0 (node 0): the PCH with the onboard I210 and the BMC's VGA, an
 * E810-C dual port (16 + 16 VFs), an X710 (8 VFs on port 0, port 1 at 0 of 64) and an NVMe SSD.
 * Socket 1 (node 1): an 82599 dual port (8 + 8 VFs, interleaved, one IOMMU group for both
 * ports), a ConnectX-6 Dx (8 VFs on iavf-like mlx5; 4 unbound VFs on port 1 with autoprobe 0)
 * and a Tesla T4 passed through. 68 VFs; six VMs, some holding VFs through vfio-pci.
 */
export const demo: HostProfile = {
  name: 'demo',
  description: '2-socket Xeon host: E810, X710, 82599, ConnectX-6 Dx, I210, NVMe, T4; 68 VFs, six VMs',
  hostname: 'hv-demo-01',
  osRelease: '6.1.0-28-amd64',
  cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/mapper/vg0-root ro quiet intel_iommu=on iommu=pt',
  cpus: {
    count: 80,
    nodes: [
      { id: 0, cpulist: '0-19,40-59' },
      { id: 1, cpulist: '20-39,60-79' },
    ],
  },
  iommu: { enabled: true, groupType: 'identity' },
  // Proxmox's default: vmbr0 on the onboard port, which has no SR-IOV.
  network: { defaultRouteVia: 'vmbr0', gateway: '192.0.2.1', subnet: '192.0.2.0/24', bridge: { name: 'vmbr0', ports: ['eno1'] } },
  rootBuses: [
    {
      domain: 0,
      bus: 0x00,
      numaNode: 0,
      iommuUnit: 'dmar6',
      functions: [skxHostBridge(), ...skxIioUtility(0x00, true), ...c620Pch({ i210Mac: 'ac:1f:6b:4e:20:10' })],
    },
    {
      domain: 0,
      bus: 0x17,
      numaNode: 0,
      iommuUnit: 'dmar0',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 16,
          bridge: { secondaryBus: 0x18, functions: intelE810CQ2({ slot: '1', ifname: 'ens1', mac: 'b4:96:91:a5:7c:20', numVfs: [16, 16] }) },
        }),
      ],
    },
    {
      domain: 0,
      bus: 0x3a,
      numaNode: 0,
      iommuUnit: 'dmar1',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 8,
          bridge: { secondaryBus: 0x3b, functions: intelX710DA2({ slot: '2', ifname: 'ens2', mac: '3c:fd:fe:b2:41:d8', numVfs: [8, 0] }) },
        }),
      ],
    },
    {
      domain: 0,
      bus: 0x5d,
      numaNode: 0,
      iommuUnit: 'dmar2',
      functions: [skxRootPort({ device: 0, port: 'A', width: 4, bridge: { secondaryBus: 0x5e, functions: [samsungPm9a3({ slot: '3' })] } })],
    },
    {
      domain: 0,
      bus: 0x85,
      numaNode: 1,
      iommuUnit: 'dmar3',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 8,
          bridge: {
            secondaryBus: 0x86,
            functions: intelX520DA2({ slot: '4', ifname: 'ens4', mac: '90:e2:ba:8c:11:60', numVfs: [8, 8], sharedGroup: 'x520' }),
          },
        }),
      ],
    },
    {
      domain: 0,
      bus: 0xae,
      numaNode: 1,
      iommuUnit: 'dmar4',
      functions: [
        skxRootPort({
          device: 0,
          port: 'A',
          width: 16,
          bridge: {
            secondaryBus: 0xaf,
            functions: mellanoxCx6Dx({ slot: '5', ifname: 'ens5', mac: '0c:42:a1:3e:58:f0', numVfs: [8, 4], autoprobe: [true, false] }),
          },
        }),
      ],
    },
    {
      domain: 0,
      bus: 0xd7,
      numaNode: 1,
      iommuUnit: 'dmar5',
      functions: [skxRootPort({ device: 0, port: 'A', width: 16, bridge: { secondaryBus: 0xd8, functions: [nvidiaTeslaT4({ slot: '6' })] } })],
    },
  ],
  vms: [
    {
      id: '101',
      name: 'web-01',
      state: 'running',
      numaNode: 0,
      hostdevs: [
        { address: e810Vf(E810_P0, 0), via: 'hostpci0' },
        { address: x520Vf(X520_P0, 0), via: 'hostpci1' },
      ],
    },
    {
      id: '102',
      name: 'db-01',
      state: 'running',
      numaNode: 0,
      hostdevs: [
        { address: e810Vf(E810_P0, 1), via: 'hostpci0' },
        { address: x710Vf(0), via: 'hostpci1' },
        // Added to the config while the VM runs: not attached until it restarts.
        { address: x710Vf(1), via: 'hostpci2', pending: true },
      ],
    },
    {
      id: '103',
      name: 'nfv-router-01',
      state: 'running',
      numaNode: 1,
      hostdevs: [
        { address: cx6Vf(0), via: 'hostpci0' },
        { address: cx6Vf(1), via: 'hostpci1' },
        { address: x520Vf(X520_P1, 0), via: 'hostpci2' },
      ],
    },
    {
      id: '104',
      name: 'ml-train-01',
      state: 'running',
      numaNode: 1,
      hostdevs: [
        { address: '0000:d8:00.0', via: 'hostpci0' },
        { address: cx6Vf(2), via: 'hostpci1' },
      ],
    },
    { id: '105', name: 'build-runner', state: 'stopped', numaNode: 0, hostdevs: [{ address: e810Vf(E810_P1, 0), via: 'hostpci0' }] },
    { id: '106', name: 'win-desktop', state: 'paused', numaNode: null, hostdevs: [{ address: e810Vf(E810_P0, 2), via: 'hostpci0' }] },
  ],
  // A DPDK application on the host drives this VF; no VM holds it.
  vfioWithoutVm: [e810Vf(E810_P1, 15)],
};

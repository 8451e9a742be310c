import type { PciFunctionSpec } from '../hostProfile';
import { KB, MB, nicPort, pcieLink, portMac, type NicModel } from './nicPort';

/**
 * Intel Ethernet Converged Network Adapter X710-2 (8086:1572, subsystem 8086:0007), driver
 * i40e; VFs are 8086:154c (Ethernet Virtual Function 700 Series), driver iavf. A two-port X710
 * gives each port 64 VFs; lspci of port 0 reads "Total VFs: 64 ... VF offset: 16, stride: 1,
 * Device ID: 154c", and port 1's VFs follow port 0's (offset 79).
 */
export const X710_DA2: NicModel = {
  ids: { vendor: 0x8086, device: 0x1572, subsystemVendor: 0x8086, subsystemDevice: 0x0007, classCode: 0x020000, revision: 0x02 },
  driver: 'i40e',
  bars: [
    { index: 0, size: 8 * MB, kind: 'mem64pref' },
    { index: 3, size: 32 * KB, kind: 'mem64pref' },
  ],
  romSize: 512 * KB,
  link: pcieLink(3, 8),
  speedMbps: 10000,
  irq: 26,
  msiVectors: 8,
  sriov: {
    totalVfs: 64,
    offsets: [16, 79],
    stride: 1,
    vfDeviceId: 0x154c,
    vfSubsystemVendor: 0x8086,
    vfSubsystemDevice: 0x0000,
    vfRevision: 0x02,
    vfBars: [
      { index: 0, size: 64 * KB, kind: 'mem64pref' },
      { index: 3, size: 16 * KB, kind: 'mem64pref' },
    ],
    vfMsixVectors: 5,
  },
};

export function intelX710DA2(o: { slot: string; ifname: string; mac: string; numVfs: readonly number[] }): PciFunctionSpec[] {
  return [0, 1].map((port) =>
    nicPort(X710_DA2, { port, ports: 2, ifname: `${o.ifname}f${port}`, mac: portMac(o.mac, port), slot: o.slot, numVfs: o.numVfs[port] ?? 0 }),
  );
}

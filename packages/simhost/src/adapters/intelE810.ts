import type { PciFunctionSpec } from '../hostProfile';
import { KB, MB, nicPort, pcieLink, portMac, type NicModel } from './nicPort';

/**
 * Intel Ethernet Controller E810-C for QSFP (8086:1592), driver ice; VFs are Ethernet Adaptive
 * Virtual Functions (8086:1889) driven by iavf. The E810 has 256 VFs per device; its NVM lays
 * the VF routing ids out after 8 PF slots (First VF Offset 8 on port 0, and port n's VFs follow
 * port n-1's: lspci -vvv of a 4-port E810-XXV shows "Total VFs: 64 ... VF offset: 8, stride: 1,
 * Device ID: 1889").
 */
function e810(subsystemDevice: number, ports: number): NicModel {
  const totalVfs = 256 / ports;
  return {
    ids: { vendor: 0x8086, device: 0x1592, subsystemVendor: 0x8086, subsystemDevice, classCode: 0x020000, revision: 0x02 },
    driver: 'ice',
    bars: [
      { index: 0, size: 32 * MB, kind: 'mem64pref' },
      { index: 3, size: 64 * KB, kind: 'mem64pref' },
    ],
    romSize: 1 * MB,
    link: pcieLink(4, 16),
    speedMbps: 100000,
    irq: 16,
    msiVectors: 8,
    sriov: {
      totalVfs,
      offsets: Array.from({ length: ports }, (_, p) => 8 + p * (totalVfs - 1)),
      stride: 1,
      vfDeviceId: 0x1889,
      vfSubsystemVendor: 0x8086,
      vfSubsystemDevice: 0x0000,
      vfRevision: 0x02,
      vfBars: [
        { index: 0, size: 128 * KB, kind: 'mem64pref' },
        { index: 3, size: 16 * KB, kind: 'mem64pref' },
      ],
      vfMsixVectors: 5,
    },
  };
}

/** E810-C-Q2 (dual port, 8086:0002): 128 VFs per port; port 1's VFs start at offset 135. */
export const E810_CQ2 = e810(0x0002, 2);
/** E810-C-Q1 (single port, 8086:0001): all 256 VFs on one PF, spilling onto the next bus. */
export const E810_CQ1 = e810(0x0001, 1);

export interface E810Options {
  slot: string;
  ifname: string;
  mac: string;
  numVfs: readonly number[];
  autoprobe?: readonly boolean[];
  vfNetdevOperState?: 'up' | 'down';
}

export function intelE810CQ2(o: E810Options): PciFunctionSpec[] {
  return [0, 1].map((port) =>
    nicPort(E810_CQ2, {
      port,
      ports: 2,
      ifname: `${o.ifname}f${port}`,
      mac: portMac(o.mac, port),
      slot: o.slot,
      numVfs: o.numVfs[port] ?? 0,
      autoprobe: o.autoprobe?.[port] ?? true,
      ...(o.vfNetdevOperState ? { vfNetdevOperState: o.vfNetdevOperState } : {}),
    }),
  );
}

export function intelE810CQ1(o: E810Options): PciFunctionSpec[] {
  return [
    nicPort(E810_CQ1, { port: 0, ports: 1, ifname: o.ifname, mac: o.mac, slot: o.slot, numVfs: o.numVfs[0] ?? 0, autoprobe: o.autoprobe?.[0] ?? true }),
  ];
}

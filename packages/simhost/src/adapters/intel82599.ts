import type { PciFunctionSpec } from '../hostProfile';
import { KB, nicPort, pcieLink, portMac, type NicModel } from './nicPort';

/**
 * Intel 82599ES 10-Gigabit SFI/SFP+ (8086:10fb) on an Ethernet Server Adapter X520-DA2
 * (subsystem 8086:0002), driver ixgbe; VFs 8086:10ed, driver ixgbevf. The capability says 64
 * VFs, "VF offset: 128, stride: 2, Device ID: 10ed" on both ports, so port 0's VFs take the even
 * functions from devfn 0x80 and port 1's the odd ones: they interleave. ixgbe caps sriov_totalvfs
 * at 63 (IXGBE_MAX_VFS_DRV_LIMIT). The 82599 has no ACS: both ports share one IOMMU group.
 */
export const X520_DA2: NicModel = {
  ids: { vendor: 0x8086, device: 0x10fb, subsystemVendor: 0x8086, subsystemDevice: 0x0002, classCode: 0x020000, revision: 0x01 },
  driver: 'ixgbe',
  bars: [
    { index: 0, size: 512 * KB, kind: 'mem64' },
    { index: 2, size: 32, kind: 'io' },
    { index: 4, size: 16 * KB, kind: 'mem64' },
  ],
  romSize: 512 * KB,
  link: pcieLink(2, 8),
  speedMbps: 10000,
  irq: 40,
  msiVectors: 8,
  sriov: {
    totalVfs: 63,
    offsets: [128, 128],
    stride: 2,
    vfDeviceId: 0x10ed,
    vfSubsystemVendor: 0x8086,
    vfSubsystemDevice: 0x0002,
    vfRevision: 0x01,
    vfBars: [
      { index: 0, size: 16 * KB, kind: 'mem64' },
      { index: 3, size: 16 * KB, kind: 'mem64' },
    ],
    vfMsixVectors: 3,
  },
};

export function intelX520DA2(o: { slot: string; ifname: string; mac: string; numVfs: readonly number[]; sharedGroup: string }): PciFunctionSpec[] {
  return [0, 1].map((port) =>
    nicPort(X520_DA2, {
      port,
      ports: 2,
      ifname: `${o.ifname}f${port}`,
      mac: portMac(o.mac, port),
      slot: o.slot,
      numVfs: o.numVfs[port] ?? 0,
      sharedGroup: o.sharedGroup,
    }),
  );
}

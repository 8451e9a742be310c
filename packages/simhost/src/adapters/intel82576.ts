import type { PciFunctionSpec } from '../hostProfile';
import { KB, nicPort, pcieLink, type NicModel } from './nicPort';

/**
 * Intel 82576 (8086:10c9), driver igb, as QEMU's `igb` device models it — the SR-IOV NIC the
 * real kernel was observed with (fixtures/realkernel-igb): sriov_totalvfs 7 (igb caps
 * the capability's 8), offset 128, stride 2, VF device 10ca (igbvf), VF n at devfn 0x80 + 2n.
 */
export const IGB_82576_QEMU: NicModel = {
  ids: { vendor: 0x8086, device: 0x10c9, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, classCode: 0x020000, revision: 0x01 },
  driver: 'igb',
  bars: [
    { index: 0, size: 128 * KB, kind: 'mem32' },
    { index: 1, size: 128 * KB, kind: 'mem32' },
    { index: 2, size: 32, kind: 'io' },
    { index: 3, size: 16 * KB, kind: 'mem32' },
  ],
  link: pcieLink(1, 1),
  speedMbps: 1000,
  irq: 21,
  msiVectors: 5,
  sriov: {
    totalVfs: 7,
    offsets: [128],
    stride: 2,
    vfDeviceId: 0x10ca,
    vfSubsystemVendor: 0x1af4,
    vfSubsystemDevice: 0x1100,
    vfRevision: 0x01,
    vfBars: [
      { index: 0, size: 16 * KB, kind: 'mem64pref' },
      { index: 3, size: 16 * KB, kind: 'mem64pref' },
    ],
    vfMsixVectors: 3,
  },
};

export function intel82576(o: { ifname: string; mac: string; numVfs: number; firmwareNode?: string }): PciFunctionSpec {
  return nicPort(IGB_82576_QEMU, {
    port: 0,
    ports: 1,
    ifname: o.ifname,
    mac: o.mac,
    numVfs: o.numVfs,
    ...(o.firmwareNode ? { firmwareNode: o.firmwareNode } : {}),
  });
}

/**
 * An 82576 behind a port without ACS: its VFs land in the PF's IOMMU group, so none of them can go
 * to a VM alone, and two VMs holding two of them are not isolated from each other.
 */
export function intel82576WithoutAcs(o: Parameters<typeof intel82576>[0]): PciFunctionSpec {
  const pf = intel82576(o);
  return { ...pf, sriov: { ...pf.sriov!, vfsInPfGroup: true } };
}

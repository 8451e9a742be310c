import type { PciFunctionSpec } from '../hostProfile';
import { KB, MB, pcieLink } from './nicPort';

/** Samsung PM9A3 U.2 (144d:a80a, subsystem 144d:a813), driver nvme: a PCIe 4.0 x4 NVMe SSD. */
export function samsungPm9a3(o: { device?: number; slot?: string } = {}): PciFunctionSpec {
  return {
    device: o.device ?? 0,
    fn: 0,
    ids: { vendor: 0x144d, device: 0xa80a, subsystemVendor: 0x144d, subsystemDevice: 0xa813, classCode: 0x010802, revision: 0x00 },
    driver: 'nvme',
    bars: [{ index: 0, size: 32 * KB, kind: 'mem64' }],
    irq: 32,
    msiVectors: 1,
    link: pcieLink(4, 4),
    aer: true,
    resetMethod: 'flr bus',
    ...(o.slot ? { slot: o.slot } : {}),
  };
}

/**
 * NVIDIA Tesla T4 (10de:1eb8, subsystem 10de:12a2), a 3D controller without an audio function,
 * here for passthrough: a VM holds it, so it is bound to vfio-pci.
 */
export function nvidiaTeslaT4(o: { slot: string }): PciFunctionSpec {
  return {
    device: 0,
    fn: 0,
    ids: { vendor: 0x10de, device: 0x1eb8, subsystemVendor: 0x10de, subsystemDevice: 0x12a2, classCode: 0x030200, revision: 0xa1 },
    driver: 'nvidia',
    bars: [
      { index: 0, size: 16 * MB, kind: 'mem32' },
      { index: 1, size: 256 * MB, kind: 'mem64pref' },
      { index: 3, size: 32 * MB, kind: 'mem64pref' },
    ],
    romSize: 512 * KB,
    irq: 60,
    msiVectors: 1,
    link: pcieLink(3, 16),
    aer: true,
    resetMethod: 'bus',
    slot: o.slot,
  };
}

/**
 * The BMC's VGA behind its AST1150 PCIe-to-PCI bridge (1a03:1150 → 1a03:2000, driver ast). A
 * conventional PCI bus cannot tell its devices' requests apart, so the bridge and the VGA share
 * one IOMMU group.
 */
export function aspeedBmc(o: { secondaryBus: number; subsystem: [number, number] }): PciFunctionSpec {
  return {
    device: 0,
    fn: 0,
    ids: { vendor: 0x1a03, device: 0x1150, subsystemVendor: o.subsystem[0], subsystemDevice: o.subsystem[1], classCode: 0x060400, revision: 0x04 },
    driver: null,
    link: pcieLink(1, 1),
    sharedGroup: 'aspeed',
    bridge: {
      secondaryBus: o.secondaryBus,
      functions: [
        {
          device: 0,
          fn: 0,
          ids: { vendor: 0x1a03, device: 0x2000, subsystemVendor: o.subsystem[0], subsystemDevice: o.subsystem[1], classCode: 0x030000, revision: 0x41 },
          driver: 'ast',
          bars: [
            { index: 0, size: 64 * MB, kind: 'mem32' },
            { index: 1, size: 256 * KB, kind: 'mem32' },
            { index: 2, size: 128, kind: 'io' },
          ],
          irq: 16,
          sharedGroup: 'aspeed',
        },
      ],
    },
  };
}

import type { PciFunctionSpec, PciIdsSpec } from '../hostProfile';
import { aspeedBmc } from './storageAndGpu';
import { intelI210Onboard } from './intelI210';
import { pcieLink } from './nicPort';
import { BOARD_SUBSYSTEM } from './skylakeSp';

const pch = (device: number, classCode: number, revision = 0x09): PciIdsSpec => ({
  vendor: 0x8086,
  device,
  ...BOARD_SUBSYSTEM,
  classCode,
  revision,
});

/**
 * The Lewisburg (C620) PCH functions on bus 00 of a Supermicro X11 board: USB, thermal, MEI,
 * SATA, two PCH root ports (the onboard I210 and the BMC's VGA behind them), and the 1f.*
 * slot — LPC, PMC, SMBus, SPI — whose functions have no ACS and share one IOMMU group.
 */
export function c620Pch(o: { i210Mac: string; withSsata?: boolean }): PciFunctionSpec[] {
  const kb = 1024;
  return [
    ...(o.withSsata
      ? [{ device: 0x11, fn: 5, ids: pch(0xa1d2, 0x010601), driver: 'ahci', bars: [{ index: 5, size: 32 * kb, kind: 'mem32' as const }], irq: 16, msiVectors: 1 }]
      : []),
    { device: 0x14, fn: 0, ids: pch(0xa1af, 0x0c0330), driver: 'xhci_hcd', bars: [{ index: 0, size: 64 * kb, kind: 'mem64' }], irq: 16, msiVectors: 1, sharedGroup: 'pch-14' },
    { device: 0x14, fn: 2, ids: pch(0xa1b1, 0x118000), driver: 'intel_pch_thermal', bars: [{ index: 0, size: 4 * kb, kind: 'mem64' }], irq: 18, sharedGroup: 'pch-14' },
    { device: 0x16, fn: 0, ids: pch(0xa1ba, 0x078000), driver: 'mei_me', bars: [{ index: 0, size: 4 * kb, kind: 'mem64' }], irq: 16, msiVectors: 1 },
    { device: 0x17, fn: 0, ids: pch(0xa182, 0x010601), driver: 'ahci', bars: [{ index: 5, size: 32 * kb, kind: 'mem32' }], irq: 16, msiVectors: 1 },
    {
      device: 0x1c,
      fn: 0,
      ids: pch(0xa190, 0x060400, 0xf9),
      driver: 'pcieport',
      irq: 16,
      msiVectors: 1,
      link: pcieLink(3, 1),
      aer: true,
      bridge: { secondaryBus: 0x01, functions: [intelI210Onboard({ mac: o.i210Mac, acpiIndex: 1 })], portServices: ['pcie001', 'pcie002'] },
    },
    {
      device: 0x1c,
      fn: 5,
      ids: pch(0xa195, 0x060400, 0xf9),
      driver: 'pcieport',
      irq: 17,
      msiVectors: 1,
      link: pcieLink(3, 1),
      aer: true,
      bridge: { secondaryBus: 0x02, functions: [aspeedBmc({ secondaryBus: 0x03, subsystem: [0x15d9, 0x095d] })], portServices: ['pcie001', 'pcie002'] },
    },
    { device: 0x1f, fn: 0, ids: pch(0xa1c2, 0x060100), driver: 'lpc_ich', powerManagement: false, sharedGroup: 'pch-1f' },
    { device: 0x1f, fn: 2, ids: pch(0xa1a1, 0x058000), driver: null, bars: [{ index: 0, size: 16 * kb, kind: 'mem32' }], sharedGroup: 'pch-1f' },
    { device: 0x1f, fn: 4, ids: pch(0xa1a3, 0x0c0500), driver: 'i801_smbus', bars: [{ index: 0, size: 256, kind: 'mem64' }, { index: 4, size: 32, kind: 'io' }], irq: 16, sharedGroup: 'pch-1f' },
    { device: 0x1f, fn: 5, ids: pch(0xa1a4, 0x0c8000), driver: null, bars: [{ index: 0, size: 4 * kb, kind: 'mem32' }], sharedGroup: 'pch-1f' },
  ];
}

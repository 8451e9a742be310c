import type { BridgeSpec, PciFunctionSpec, PciIdsSpec } from '../hostProfile';
import { pcieLink } from './nicPort';

/** Subsystem ids the board vendor programs into its on-board functions (Supermicro X11, 15d9:095d). */
export const BOARD_SUBSYSTEM = { subsystemVendor: 0x15d9, subsystemDevice: 0x095d } as const;

const skx = (device: number, classCode: number, revision = 0x04): PciIdsSpec => ({
  vendor: 0x8086,
  device,
  ...BOARD_SUBSYSTEM,
  classCode,
  revision,
});

/** 00:00.0, the DMI3 registers of socket 0's IIO: the host bridge of bus 00. */
export function skxHostBridge(): PciFunctionSpec {
  return { device: 0, fn: 0, ids: skx(0x2020, 0x060000), driver: null, irq: 0, powerManagement: false };
}

/**
 * A root port of a Skylake-SP IIO stack (Root Port A 2030 ... D 2033): PCIe 3.0, AER, ACS (its
 * own IOMMU group), pcieport with its AER/PME/DPC port services.
 */
export function skxRootPort(o: { device: number; port: 'A' | 'B' | 'C' | 'D'; width: number; bridge: Omit<BridgeSpec, 'portServices'> }): PciFunctionSpec {
  const id = { A: 0x2030, B: 0x2031, C: 0x2032, D: 0x2033 }[o.port];
  return {
    device: o.device,
    fn: 0,
    ids: skx(id, 0x060400, 0x04),
    driver: 'pcieport',
    irq: 24 + o.device,
    msiVectors: 1,
    link: pcieLink(3, o.width),
    aer: true,
    bridge: { ...o.bridge, portServices: ['pcie001', 'pcie002', 'pcie010'] },
  };
}

/** The IIO's VT-d / RAS / IOxAPIC functions at dd:05.0/.2/.4 of every stack: one slot, one group. */
export function skxIioUtility(stackBus: number, rootBus0 = false): PciFunctionSpec[] {
  const [vtd, ras, ioapic] = rootBus0 ? [0x2024, 0x2025, 0x2026] : [0x2034, 0x2035, 0x2036];
  const group = `iio-${stackBus.toString(16)}-05`;
  return [
    { device: 5, fn: 0, ids: skx(vtd, 0x088000), driver: null, powerManagement: false, sharedGroup: group },
    { device: 5, fn: 2, ids: skx(ras, 0x088000), driver: null, powerManagement: false, sharedGroup: group },
    { device: 5, fn: 4, ids: skx(ioapic, 0x080020), driver: null, powerManagement: false, sharedGroup: group },
  ];
}

/** The eight Crystal Beach DMA channels (8086:2021, ioatdma) at dd:04.0-7, one multifunction slot. */
export function skxCbdma(bus: number): PciFunctionSpec[] {
  return Array.from({ length: 8 }, (_, fn) => ({
    device: 4,
    fn,
    ids: skx(0x2021, 0x088000),
    driver: 'ioatdma',
    bars: [{ index: 0, size: 16 * 1024, kind: 'mem64' as const }],
    irq: 28 + fn,
    msiVectors: 1,
    sharedGroup: `cbdma-${bus.toString(16)}`,
  }));
}

/**
 * Uncore functions of a socket's uncore bus (memory controllers, mesh to memory, UPI, CHA):
 * no driver binds them except skx_uncore's counters; each slot's functions share a group.
 */
export function skxUncore(bus: number, withoutSlots: readonly number[] = []): PciFunctionSpec[] {
  const all: Array<[number, number[], number]> = [
    [0x08, [0x2014], 0x088000],
    [0x0a, [0x2040, 0x2041, 0x2042, 0x2043, 0x2044, 0x2045, 0x2046, 0x2047], 0x088000],
    [0x0b, [0x2068, 0x2088], 0x088000],
    [0x0e, [0x2058, 0x2059], 0x088000],
    [0x12, [0x204c, 0x204d, 0x204e], 0x110100],
    [0x1d, [0x2054, 0x2055, 0x2056, 0x2057], 0x088000],
  ];
  const slots = all.filter(([device]) => !withoutSlots.includes(device));
  return slots.flatMap(([device, ids, classCode]) =>
    ids.map((id, fn) => ({
      device,
      fn,
      ids: skx(id, classCode, 0x07),
      driver: [0x2040, 0x2041, 0x2042, 0x204c, 0x204d, 0x204e, 0x2054, 0x2058].includes(id) ? 'skx_uncore' : null,
      powerManagement: false,
      sharedGroup: `uncore-${bus.toString(16)}-${device.toString(16)}`,
    })),
  );
}

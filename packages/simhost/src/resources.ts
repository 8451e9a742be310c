import type { BarKind } from './hostProfile';
import type { BridgePlacement, PlacedBar } from './layoutHost';
import { resourceLine } from './sysfsText';

/**
 * IORESOURCE_* flags of a BAR as pci_resource_flags() shows them in `resource`
 * (IORESOURCE_MEM 0x200, PREFETCH 0x2000, MEM_64 0x100000, SIZEALIGN 0x40000, IO 0x100, plus the
 * BAR's own type bits). The real NVMe BAR reads 0x140204; igb's prefetchable BARs 0x14220c.
 */
export const BAR_FLAGS: Record<BarKind, number> = {
  mem64pref: 0x14220c,
  mem64: 0x140204,
  mem32: 0x040200,
  io: 0x040101,
};
const ROM_FLAGS = 0x046200;
const WINDOW_FLAGS = { io: 0x100, mem: 0x200, prefMem: 0x102201 };

/** The 13 lines of a function's `resource`: BARs 0-5, the ROM, then the six SR-IOV BAR regions. */
export function functionResourceLines(bars: readonly PlacedBar[], rom: PlacedBar | null, iovBars: readonly PlacedBar[]): string[] {
  const lines: string[] = [];
  const at = (list: readonly PlacedBar[], i: number) => list.find((b) => b.index === i);
  for (let i = 0; i < 6; i++) {
    const b = at(bars, i);
    lines.push(b ? resourceLine(b.start, b.size, BAR_FLAGS[b.kind]) : resourceLine(0n, 0n, 0));
  }
  lines.push(rom ? resourceLine(rom.start, rom.size, ROM_FLAGS) : resourceLine(0n, 0n, 0));
  for (let i = 0; i < 6; i++) {
    const b = at(iovBars, i);
    lines.push(b ? resourceLine(b.start, b.size, BAR_FLAGS[b.kind]) : resourceLine(0n, 0n, 0));
  }
  return lines;
}

/** A bridge's `resource`: 13 lines as above, then its I/O, memory and prefetchable windows and one unused. */
export function bridgeResourceLines(bars: readonly PlacedBar[], bridge: BridgePlacement): string[] {
  const { io, mem, prefMem } = bridge.windows;
  return [
    ...functionResourceLines(bars, null, []),
    io ? resourceLine(BigInt(io[0]), BigInt(io[1] - io[0] + 1), WINDOW_FLAGS.io) : resourceLine(0n, 0n, 0),
    mem ? resourceLine(BigInt(mem[0]), BigInt(mem[1] - mem[0] + 1), WINDOW_FLAGS.mem) : resourceLine(0n, 0n, 0),
    prefMem ? resourceLine(prefMem[0], prefMem[1] - prefMem[0] + 1n, WINDOW_FLAGS.prefMem) : resourceLine(0n, 0n, 0),
    resourceLine(0n, 0n, 0),
  ];
}

/** The raw BAR registers of the config header (type bits low, 64-bit BARs take two registers). */
export function barRegisters(bars: readonly PlacedBar[], count: number): number[] {
  const regs = new Array<number>(count).fill(0);
  for (const b of bars) {
    const low = Number(b.start & 0xffff_ffffn);
    switch (b.kind) {
      case 'io':
        regs[b.index] = (low & ~0x3) | 0x1;
        break;
      case 'mem32':
        regs[b.index] = low & ~0xf;
        break;
      case 'mem64':
      case 'mem64pref':
        regs[b.index] = (low & ~0xf) | (b.kind === 'mem64pref' ? 0xc : 0x4);
        if (b.index + 1 < count) regs[b.index + 1] = Number(b.start >> 32n);
        break;
    }
  }
  return regs.map((r) => r >>> 0);
}

/** Start addresses of the SR-IOV BAR regions, read back from a PF's `resource` (lines 7-12). */
export function iovRegionStarts(resource: string): Array<bigint | null> {
  const lines = resource.split('\n');
  const starts: Array<bigint | null> = [];
  for (let i = 7; i < 13; i++) {
    const start = lines[i]?.split(' ')[0];
    starts.push(start && BigInt(start) !== 0n ? BigInt(start) : null);
  }
  return starts;
}

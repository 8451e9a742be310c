import { formatPciAddress, type PciAddress } from '@vfmap/model';
import type { BarKind, BarSpec, HostProfile, PciFunctionSpec, RootBusSpec } from './hostProfile';
import { lastVfBus } from './vfBusRange';

export interface PlacedBar {
  index: number;
  kind: BarKind;
  start: bigint;
  size: bigint;
}

export interface BridgePlacement {
  primary: number;
  secondary: number;
  subordinate: number;
  windows: { io: [number, number] | null; mem: [number, number] | null; prefMem: [bigint, bigint] | null };
}

/** A function of the profile with everything the firmware and the kernel decide at boot. */
export interface PlacedFunction {
  address: PciAddress;
  bus: number;
  /** Its directory under sys/devices: `pci0000:17/0000:17:00.0/0000:18:00.0`. */
  devPath: string;
  spec: PciFunctionSpec;
  root: RootBusSpec;
  parent: PciAddress | null;
  multifunction: boolean;
  iommuGroup: number | null;
  bars: PlacedBar[];
  rom: PlacedBar | null;
  /** The SR-IOV BAR regions (VF BAR i of VF n is iovBars[i].start + n × vfBars[i].size). */
  iovBars: PlacedBar[];
  bridge: BridgePlacement | null;
}

/** A PCI bus as sys/class/pci_bus lists it, with the directory of its pci_bus entry. */
export interface PlacedBus {
  /** `0000:18` */
  name: string;
  /** `pci0000:17/0000:17:00.0/pci_bus/0000:18` */
  dirPath: string;
  numaNode: number | null;
}

export interface HostLayout {
  /** In the order the kernel adds them (pci_bus_add_devices), which is the order IOMMU groups are numbered in. */
  functions: PlacedFunction[];
  buses: PlacedBus[];
  groups: Map<number, PciAddress[]>;
}

const MB = 1n << 20n;
const alignUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;
const alignDown = (v: bigint, a: bigint): bigint => (v / a) * a;

/** Bump allocators for one root bus's windows (what the firmware hands each host bridge). */
class Windows {
  constructor(
    public mem32: bigint,
    public pref64: bigint,
    public io: bigint,
  ) {}

  take(kind: BarKind, size: bigint): bigint {
    const field = kind === 'io' ? 'io' : kind === 'mem64pref' ? 'pref64' : 'mem32';
    const start = alignUp(this[field], size);
    this[field] = start + size;
    // Below 4G the space ends where the APIC and firmware ranges begin; I/O ports at 64K.
    if ((field === 'mem32' && this.mem32 > 0xfec0_0000n) || (field === 'io' && this.io > 0x1_0000n)) {
      throw new Error(`profile needs more ${field} space than a PC has`);
    }
    return start;
  }

  alignAll(): void {
    this.mem32 = alignUp(this.mem32, MB);
    this.pref64 = alignUp(this.pref64, MB);
    this.io = alignUp(this.io, 0x1000n);
  }
}

const rootDir = (root: RootBusSpec): string =>
  `pci${root.domain.toString(16).padStart(4, '0')}:${root.bus.toString(16).padStart(2, '0')}`;

const busName = (domain: number, bus: number): string =>
  `${domain.toString(16).padStart(4, '0')}:${bus.toString(16).padStart(2, '0')}`;

/**
 * Places every function of the profile: its address and sysfs directory, BAR addresses, bridge
 * bus numbers and windows, and IOMMU group numbers in the kernel's order.
 */
export function layoutHost(profile: HostProfile): HostLayout {
  const functions: PlacedFunction[] = [];
  const buses: PlacedBus[] = [];
  const placedByAddress = new Map<PciAddress, PlacedFunction>();

  // The firmware gives each host bridge its own stretch of the 32-bit, 64-bit and I/O spaces;
  // handing them out one root after the other keeps the stretches apart.
  const windows = new Windows(0x9000_0000n, 0x3800_0000_0000n, 0x1000n);
  profile.rootBuses.forEach((root) => {
    windows.alignAll();
    buses.push({ name: busName(root.domain, root.bus), dirPath: `${rootDir(root)}/pci_bus/${busName(root.domain, root.bus)}`, numaNode: root.numaNode });
    placeBus(root, root.bus, root.functions, rootDir(root), null, windows, placedByAddress, functions, buses);
  });

  const ordered = addOrder(profile, placedByAddress);
  const groups = assignGroups(profile, ordered);
  return { functions: ordered, buses, groups };
}

function placeBus(
  root: RootBusSpec,
  bus: number,
  specs: PciFunctionSpec[],
  parentPath: string,
  parent: PciAddress | null,
  windows: Windows,
  placed: Map<PciAddress, PlacedFunction>,
  out: PlacedFunction[],
  buses: PlacedBus[],
): number {
  let maxBus = bus;
  const functionsPerSlot = new Map<number, number>();
  for (const s of specs) functionsPerSlot.set(s.device, (functionsPerSlot.get(s.device) ?? 0) + 1);

  for (const spec of specs) {
    const address = formatPciAddress({ domain: root.domain, bus, device: spec.device, function: spec.fn });
    if (placed.has(address)) throw new Error(`profile places two functions at ${address}`);
    const devPath = `${parentPath}/${address}`;
    const bars = (spec.bars ?? []).map((b) => placeBar(b, windows));
    const rom = spec.romSize ? { index: 6, kind: 'mem32' as const, start: windows.take('mem32', BigInt(spec.romSize)), size: BigInt(spec.romSize) } : null;
    const iovBars = (spec.sriov?.vfBars ?? []).map((b) => {
      const total = BigInt(b.size) * BigInt(spec.sriov!.totalVfs);
      return { index: b.index, kind: b.kind, start: windows.take(b.kind, total === 0n ? BigInt(b.size) : total), size: total };
    });
    if (spec.sriov) maxBus = Math.max(maxBus, lastVfBus(address, spec.sriov.offset, spec.sriov.stride, spec.sriov.totalVfs));

    const fn: PlacedFunction = {
      address,
      bus,
      devPath,
      spec,
      root,
      parent,
      multifunction: (functionsPerSlot.get(spec.device) ?? 0) > 1,
      iommuGroup: null,
      bars,
      rom,
      iovBars,
      bridge: null,
    };
    placed.set(address, fn);
    out.push(fn);

    if (spec.bridge) {
      const secondary = spec.bridge.secondaryBus;
      buses.push({ name: busName(root.domain, secondary), dirPath: `${devPath}/pci_bus/${busName(root.domain, secondary)}`, numaNode: root.numaNode });
      windows.alignAll();
      const before = { mem: windows.mem32, pref: windows.pref64, io: windows.io };
      const subordinate = placeBus(root, secondary, spec.bridge.functions, devPath, address, windows, placed, out, buses);
      windows.alignAll();
      fn.bridge = {
        primary: bus,
        secondary,
        subordinate,
        windows: {
          io: windows.io > before.io ? [Number(before.io), Number(windows.io) - 1] : null,
          mem: windows.mem32 > before.mem ? [Number(alignDown(before.mem, MB)), Number(windows.mem32) - 1] : null,
          prefMem: windows.pref64 > before.pref ? [alignDown(before.pref, MB), windows.pref64 - 1n] : null,
        },
      };
      maxBus = Math.max(maxBus, subordinate);
    }
  }
  return maxBus;
}

function placeBar(bar: BarSpec, windows: Windows): PlacedBar {
  const size = BigInt(bar.size);
  return { index: bar.index, kind: bar.kind, start: windows.take(bar.kind, size), size };
}

/**
 * pci_bus_add_devices(): every device of a bus is registered, then each child bus in turn.
 * The IOMMU driver meets the devices in this order, so group numbers follow it.
 */
function addOrder(profile: HostProfile, placed: Map<PciAddress, PlacedFunction>): PlacedFunction[] {
  const out: PlacedFunction[] = [];
  const visit = (root: RootBusSpec, bus: number, specs: PciFunctionSpec[]) => {
    const here = specs.map((s) => placed.get(formatPciAddress({ domain: root.domain, bus, device: s.device, function: s.fn }))!);
    out.push(...here);
    for (const fn of here) if (fn.spec.bridge) visit(root, fn.spec.bridge.secondaryBus, fn.spec.bridge.functions);
  };
  for (const root of profile.rootBuses) visit(root, root.bus, root.functions);
  return out;
}

function assignGroups(profile: HostProfile, ordered: PlacedFunction[]): Map<number, PciAddress[]> {
  const groups = new Map<number, PciAddress[]>();
  if (!profile.iommu.enabled) return groups;
  const byKey = new Map<string, number>();
  let next = 0;
  for (const fn of ordered) {
    const key = fn.spec.sharedGroup;
    let group = key === undefined ? undefined : byKey.get(key);
    if (group === undefined) {
      group = next++;
      if (key !== undefined) byKey.set(key, group);
    }
    fn.iommuGroup = group;
    groups.set(group, [...(groups.get(group) ?? []), fn.address]);
  }
  return groups;
}

/**
 * The first 64 bytes of a function's PCI configuration space, as `config` in sysfs returns them
 * (what lspci -x shows). Type 0 for endpoints, type 1 for bridges with their bus numbers and
 * windows. The capability list is empty (Status bit 4 clear, pointer 0): nothing past the header
 * is simulated, so nothing may claim to be there.
 */
export interface ConfigHeaderCommon {
  vendor: number;
  device: number;
  command: number;
  revision: number;
  classCode: number;
  multifunction: boolean;
  interruptLine: number;
  /** 1 = INTA# ... 4 = INTD#; 0 none. */
  interruptPin: number;
}

export interface ConfigHeaderType0 extends ConfigHeaderCommon {
  type: 0;
  /** The six raw BAR registers (flags in the low bits, the upper half of a 64-bit BAR in the next). */
  bars: readonly number[];
  subsystemVendor: number;
  subsystemDevice: number;
  romAddress: number;
}

export interface BridgeWindows {
  /** [base, limit] inclusive; null: window closed. */
  io: [number, number] | null;
  mem: [number, number] | null;
  prefMem: [bigint, bigint] | null;
}

export interface ConfigHeaderType1 extends ConfigHeaderCommon {
  type: 1;
  bars: readonly number[];
  primaryBus: number;
  secondaryBus: number;
  subordinateBus: number;
  windows: BridgeWindows;
}

export type ConfigHeader = ConfigHeaderType0 | ConfigHeaderType1;

/** PCI_COMMAND bits a bound driver typically leaves set: memory space, bus master, INTx disable. */
export const COMMAND_IO = 0x1;
export const COMMAND_MEMORY = 0x2;
export const COMMAND_MASTER = 0x4;
export const COMMAND_INTX_DISABLE = 0x400;

export function buildConfigHeader(h: ConfigHeader): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt16LE(h.vendor, 0x00);
  b.writeUInt16LE(h.device, 0x02);
  b.writeUInt16LE(h.command, 0x04);
  b.writeUInt16LE(0x0000, 0x06); // Status: no capability list (0x34 is 0)
  b.writeUInt8(h.revision, 0x08);
  b.writeUInt8(h.classCode & 0xff, 0x09);
  b.writeUInt8((h.classCode >> 8) & 0xff, 0x0a);
  b.writeUInt8((h.classCode >> 16) & 0xff, 0x0b);
  b.writeUInt8(0x10, 0x0c); // cache line size: 64 bytes, in dwords
  b.writeUInt8(0x00, 0x0d); // latency timer: PCIe has none
  b.writeUInt8(h.type | (h.multifunction ? 0x80 : 0), 0x0e);
  if (h.type === 0) {
    for (let i = 0; i < 6; i++) b.writeUInt32LE((h.bars[i] ?? 0) >>> 0, 0x10 + 4 * i);
    b.writeUInt16LE(h.subsystemVendor, 0x2c);
    b.writeUInt16LE(h.subsystemDevice, 0x2e);
    b.writeUInt32LE(h.romAddress >>> 0, 0x30);
  } else {
    for (let i = 0; i < 2; i++) b.writeUInt32LE((h.bars[i] ?? 0) >>> 0, 0x10 + 4 * i);
    b.writeUInt8(h.primaryBus, 0x18);
    b.writeUInt8(h.secondaryBus, 0x19);
    b.writeUInt8(h.subordinateBus, 0x1a);
    writeWindows(b, h.windows);
  }
  b.writeUInt8(0x00, 0x34); // capabilities pointer
  b.writeUInt8(h.interruptLine, 0x3c);
  b.writeUInt8(h.interruptPin, 0x3d);
  return b;
}

/** Bridge windows as the registers encode them: a closed window has base > limit. */
function writeWindows(b: Buffer, w: BridgeWindows): void {
  if (w.io) {
    b.writeUInt8(((w.io[0] >> 8) & 0xf0) | 0x01, 0x1c); // 32-bit I/O decode
    b.writeUInt8(((w.io[1] >> 8) & 0xf0) | 0x01, 0x1d);
    b.writeUInt16LE((w.io[0] >>> 16) & 0xffff, 0x30);
    b.writeUInt16LE((w.io[1] >>> 16) & 0xffff, 0x32);
  } else {
    b.writeUInt8(0xf1, 0x1c);
    b.writeUInt8(0x01, 0x1d);
  }
  if (w.mem) {
    b.writeUInt16LE((w.mem[0] >>> 16) & 0xfff0, 0x20);
    b.writeUInt16LE((w.mem[1] >>> 16) & 0xfff0, 0x22);
  } else {
    b.writeUInt16LE(0xfff0, 0x20);
    b.writeUInt16LE(0x0000, 0x22);
  }
  if (w.prefMem) {
    const [base, limit] = w.prefMem;
    b.writeUInt16LE(Number((base >> 16n) & 0xfff0n) | 0x1, 0x24); // 64-bit prefetchable
    b.writeUInt16LE(Number((limit >> 16n) & 0xfff0n) | 0x1, 0x26);
    b.writeUInt32LE(Number(base >> 32n), 0x28);
    b.writeUInt32LE(Number(limit >> 32n), 0x2c);
  } else {
    b.writeUInt16LE(0xfff1, 0x24);
    b.writeUInt16LE(0x0001, 0x26);
  }
}

/** PCI Express extended capability id of SR-IOV, and where extended capabilities start. */
export const SRIOV_EXT_CAP_ID = 0x0010;
const EXT_CAP_START = 0x100;

/** Where the PCI Express capability goes in the standard list (the usual place after the header). */
const PCIE_CAP_AT = 0x40;

/**
 * A 4 KiB config space: `header`, the PCI Express capability (without which nothing looks past
 * 0x100: the kernel's and lspci's extended capability walks need it) and one extended capability,
 * SR-IOV (PCIe base spec 9.3.3), at 0x100 and last in the list. For silicon whose SR-IOV the
 * firmware switched off: TotalVFs 0 in the capability (the kernel's sriov_init() then makes no
 * sriov_* files), or a non-zero TotalVFs whose VF BARs got no window.
 */
export function withSriovCapability(header: Buffer, cap: { initialVfs: number; totalVfs: number; offset: number; stride: number; vfDeviceId: number }): Buffer {
  const b = Buffer.alloc(4096);
  header.copy(b, 0);
  b.writeUInt16LE(b.readUInt16LE(0x06) | 0x0010, 0x06); // Status: capability list
  b.writeUInt8(PCIE_CAP_AT, 0x34);
  b.writeUInt8(0x10, PCIE_CAP_AT); // PCI Express, last in the standard list
  b.writeUInt8(0x00, PCIE_CAP_AT + 1);
  b.writeUInt16LE(0x0002, PCIE_CAP_AT + 2); // version 2, device/port type 0: endpoint
  // Header: id 0x0010, version 1, next 0.
  b.writeUInt32LE(SRIOV_EXT_CAP_ID | (1 << 16), EXT_CAP_START);
  b.writeUInt16LE(cap.initialVfs, EXT_CAP_START + 0x0c);
  b.writeUInt16LE(cap.totalVfs, EXT_CAP_START + 0x0e);
  b.writeUInt16LE(cap.offset, EXT_CAP_START + 0x14);
  b.writeUInt16LE(cap.stride, EXT_CAP_START + 0x16);
  b.writeUInt16LE(cap.vfDeviceId, EXT_CAP_START + 0x1a);
  return b;
}

import type { SriovCapability } from '@vfmap/model';

/** PCI Express extended capability id of SR-IOV (PCIe base spec 9.3.3). */
export const SRIOV_EXT_CAP_ID = 0x0010;
/** Where the extended capabilities start; the kernel gives an unprivileged reader only the first 64 bytes of `config`. */
export const EXT_CAP_START = 0x100;
/** Bytes of config space to read: the whole PCIe extended space. */
export const CONFIG_SPACE_SIZE = 4096;

export type { SriovCapability };

/**
 * The SR-IOV extended capability in a function's config space (what `lspci -vvv` prints as
 * "Single Root I/O Virtualization"): walks the extended capability list from 0x100. InitialVFs
 * is at +0x0c and TotalVFs at +0x0e of the capability. A config shorter than 0x104 bytes (an
 * unprivileged read, a conventional PCI device, a capture's empty placeholder) is unreadable.
 */
export function sriovCapability(config: Buffer): SriovCapability {
  if (config.length < EXT_CAP_START + 4) return { kind: 'unreadable', bytes: config.length };
  let offset = EXT_CAP_START;
  // 4 KiB holds at most (4096 - 256) / 4 capabilities: more steps mean a loop in the list.
  for (let steps = 0; steps < 960 && offset >= EXT_CAP_START && offset + 4 <= config.length; steps++) {
    const header = config.readUInt32LE(offset);
    // All ones: the device is gone (or a read error); 0 at 0x100: no extended capabilities.
    if (header === 0xffffffff || header === 0) return { kind: 'absent' };
    const id = header & 0xffff;
    if (id === SRIOV_EXT_CAP_ID && offset + 0x10 <= config.length) {
      return { kind: 'present', offset, initialVfs: config.readUInt16LE(offset + 0x0c), totalVfs: config.readUInt16LE(offset + 0x0e) };
    }
    const next = (header >>> 20) & 0xffc;
    if (next === 0) break;
    offset = next;
  }
  return { kind: 'absent' };
}

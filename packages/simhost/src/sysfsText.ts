/**
 * Attribute text exactly as the kernel prints it (drivers/pci/pci-sysfs.c and friends). Every
 * attribute ends in a newline; ids are `0x%04x`, the class `0x%06x`, the revision `0x%02x`.
 */

export const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
export const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
export const classText = (classCode: number): string => `0x${classCode.toString(16).padStart(6, '0')}`;
/** sriov_vf_device: `%x`, no `0x`, no padding (drivers/pci/iov.c sriov_vf_device_show). */
export const vfDeviceText = (deviceId: number): string => deviceId.toString(16);

const upperHex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

export interface ModaliasIds {
  vendor: number;
  device: number;
  subsystemVendor: number;
  subsystemDevice: number;
  classCode: number;
}

/** `pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X` (pci-sysfs.c modalias_show). */
export function modalias(ids: ModaliasIds): string {
  const c = ids.classCode;
  return (
    `pci:v${upperHex(ids.vendor, 8)}d${upperHex(ids.device, 8)}` +
    `sv${upperHex(ids.subsystemVendor, 8)}sd${upperHex(ids.subsystemDevice, 8)}` +
    `bc${upperHex((c >> 16) & 0xff, 2)}sc${upperHex((c >> 8) & 0xff, 2)}i${upperHex(c & 0xff, 2)}`
  );
}

/** The uevent attribute: DRIVER= first when bound, then pci_uevent()'s variables. */
export function pciUevent(ids: ModaliasIds, address: string, driver: string | null): string {
  const lines = [
    ...(driver ? [`DRIVER=${driver}`] : []),
    `PCI_CLASS=${upperHex(ids.classCode, 4)}`,
    `PCI_ID=${upperHex(ids.vendor, 4)}:${upperHex(ids.device, 4)}`,
    `PCI_SUBSYS_ID=${upperHex(ids.subsystemVendor, 4)}:${upperHex(ids.subsystemDevice, 4)}`,
    `PCI_SLOT_NAME=${address}`,
    `MODALIAS=${modalias(ids)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Expands a cpulist ("0-19,40-59") into CPU numbers. */
export function parseCpulist(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus;
}

/**
 * A cpumask as `%*pb` prints it (local_cpus, cpuaffinity): 32-bit hex chunks, most significant
 * first, joined by commas; the first chunk is only as wide as nr_cpu_ids needs.
 */
export function cpumask(cpus: readonly number[], nrCpus: number): string {
  const chunks = Math.max(1, Math.ceil(nrCpus / 32));
  const words = new Array<number>(chunks).fill(0);
  for (const c of cpus) words[Math.floor(c / 32)]! |= 1 << c % 32;
  const parts: string[] = [];
  for (let i = chunks - 1; i >= 0; i--) {
    const bitsInChunk = i === chunks - 1 ? nrCpus - 32 * i : 32;
    const width = Math.ceil(bitsInChunk / 4);
    parts.push((words[i]! >>> 0).toString(16).padStart(width, '0'));
  }
  return parts.join(',');
}

/** A cpulist as `%*pbl` prints it: ranges joined by commas. */
export function cpulist(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}

const hex16 = (n: bigint): string => `0x${n.toString(16).padStart(16, '0')}`;

/** One line of the `resource` attribute: start, end, flags, each `0x%016llx`. */
export function resourceLine(start: bigint, size: bigint, flags: number): string {
  if (size === 0n) return `${hex16(0n)} ${hex16(0n)} ${hex16(0n)}`;
  return `${hex16(start)} ${hex16(start + size - 1n)} ${hex16(BigInt(flags))}`;
}

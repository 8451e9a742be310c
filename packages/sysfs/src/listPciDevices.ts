import { readdirSync } from 'node:fs';
import { comparePciAddresses, isPciAddress } from '@vfmap/model';
import type { ScanContext } from './scanContext';

/**
 * The addresses in sys/bus/pci/devices, in numeric order (`10000:` after every `0000:`). Entries
 * are symlinks into sys/devices/...; they are listed by name, never resolved.
 */
export function listPciDevices(scan: ScanContext): string[] {
  let names: string[];
  try {
    names = readdirSync(scan.paths.pciDevices);
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code ?? 'EIO';
    scan.warn('no-pci-devices', `cannot list the PCI devices (${errno}); no device could be read`, scan.paths.pciDevices);
    return [];
  }
  const addresses: string[] = [];
  for (const name of names) {
    if (isPciAddress(name)) addresses.push(name);
    else scan.warn('not-a-pci-address', `"${name}" in sys/bus/pci/devices is not a PCI address; skipped`, scan.paths.pciDevice(name));
  }
  return addresses.sort(comparePciAddresses);
}

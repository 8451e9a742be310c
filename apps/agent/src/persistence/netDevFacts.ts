import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import type { NetDevFacts } from './linkMatch';

async function read(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** ARPHRD_* (`type` in sysfs) as networkctl names it, for `Type=`. */
const DEVICE_TYPES: Record<string, string> = { '1': 'ether', '32': 'infiniband' };

/**
 * What udev matches a PF's network interface by, from sysfs under `root`; null when the PF has no
 * net interface (an NVMe controller). `permanentMac` from `ip -j link` (`permaddr`) wins when given;
 * otherwise sysfs tells it only when `addr_assign_type` is 0 (NET_ADDR_PERM: the MAC is the
 * hardware's). udev's properties are not read (`Property=` then cannot be decided).
 */
export async function readNetDevFacts(root: string, address: string, permanentMac: string | null = null): Promise<NetDevFacts | null> {
  const paths = sysfsPaths(root);
  let names: string[];
  try {
    names = (await readdir(paths.pciDeviceFile(address, 'net'))).sort();
  } catch {
    return null;
  }
  const name = names[0];
  if (name === undefined) return null;
  const file = (f: string) => read(join(paths.pciDeviceFile(address, 'net'), name, f));
  const mac = (await file('address'))?.toLowerCase() ?? null;
  const driverLink = await readlink(paths.pciDeviceFile(address, 'driver')).catch(() => null);
  // name_assign_type 1 (enumerated) and 2 (predictable) are the kernel's names; 3 and 4 are userspace's.
  const assigned = await file('name_assign_type');
  return {
    name,
    kernelName: assigned === '1' || assigned === '2' ? name : null,
    permanentMac: permanentMac ?? ((await file('addr_assign_type')) === '0' ? mac : null),
    mac,
    driver: driverLink ? basename(driverLink) : null,
    // udev's path_id: a PCI device is `pci-<address>` (its PCI parents are skipped).
    path: `pci-${address}`,
    type: DEVICE_TYPES[(await file('type')) ?? ''] ?? null,
    properties: null,
  };
}

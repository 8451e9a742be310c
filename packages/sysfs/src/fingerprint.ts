import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { comparePciAddresses } from '@vfmap/model';
import { readAttributeText } from './readAttribute';
import { hasNoNetdevs } from './readNetdevs';
import { sysfsPaths } from './sysfsPaths';

function tryRead(read: () => string): string {
  try {
    return read();
  } catch (err) {
    return `!${(err as NodeJS.ErrnoException).code ?? 'EIO'}`;
  }
}

/** Whether `path` names an entry, without following it (a capture's dangling driver link is a driver). */
function isEntry(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * A cheap summary of what can change under a scanned topology: the device list, each PF's
 * sriov_numvfs, driver links and net interface names. Equal fingerprints mean the cached topology
 * holds; it reads no pci.ids and no netdev attribute (operstate and speed change all the time and
 * are not worth a rescan).
 *
 * Nothing it tries is expected to fail: an unbound function's `driver` is looked up with lstat,
 * not readlink (a failed readlink throws, which costs more than the syscall), and `net` is looked
 * for only below a driver (see readNetdevs). An unbound VF costs two syscalls, lstat `driver` and
 * access `sriov_numvfs`; the agent runs this every second.
 *
 * Not covered, because it costs a read per device: driver_override on its own (it matters only
 * once a driver is bound, which changes the driver link) and netdevs nested below a child device
 * (virtio's `virtio0/net/`).
 */
export function readFingerprint(root = '/'): string {
  const paths = sysfsPaths(root);
  const hash = createHash('sha256');
  let addresses: string[];
  try {
    addresses = readdirSync(paths.pciDevices).sort(comparePciAddresses);
  } catch (err) {
    return `no-pci-devices:${(err as NodeJS.ErrnoException).code ?? 'EIO'}`;
  }
  for (const address of addresses) {
    const dir = paths.pciDevice(address);
    // The link text, never resolved: a driver link that dangles (a capture) is still a driver.
    const driverLink = `${dir}/driver`;
    const driver = isEntry(driverLink) ? tryRead(() => readlinkSync(driverLink)) : '';
    const numVfsPath = `${dir}/sriov_numvfs`;
    const numVfs = existsSync(numVfsPath) ? tryRead(() => readAttributeText(numVfsPath)) : '';
    const netPath = `${dir}/net`;
    const net = driver !== '' && !hasNoNetdevs(driver) && existsSync(netPath) ? tryRead(() => readdirSync(netPath).sort().join(',')) : '';
    hash.update(`${address}\t${driver}\t${numVfs}\t${net}\n`);
  }
  return hash.digest('hex');
}

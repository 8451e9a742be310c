import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { comparePciAddresses } from '@vfmap/model';
import { readAttributeText } from './readAttribute';
import { sysfsPaths } from './sysfsPaths';

function tryRead(read: () => string): string {
  try {
    return read();
  } catch (err) {
    return `!${(err as NodeJS.ErrnoException).code ?? 'EIO'}`;
  }
}

/**
 * A cheap summary of what can change under a scanned topology: the device list, each PF's
 * sriov_numvfs, driver links and net interface names. Equal fingerprints mean the cached topology
 * holds; it costs a few syscalls per device where a full scan costs a dozen, and reads no pci.ids
 * and no netdev attribute (operstate and speed change all the time and are not worth a rescan).
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
    // The link text, never resolved: a driver link that dangles (a capture) is still a driver.
    const driver = tryRead(() => readlinkSync(paths.pciDeviceFile(address, 'driver')));
    const numVfsPath = paths.pciDeviceFile(address, 'sriov_numvfs');
    const numVfs = existsSync(numVfsPath) ? tryRead(() => readAttributeText(numVfsPath)) : '';
    const netPath = paths.pciDeviceFile(address, 'net');
    const net = existsSync(netPath) ? tryRead(() => readdirSync(netPath).sort().join(',')) : '';
    hash.update(`${address}\t${driver}\t${numVfs}\t${net}\n`);
  }
  return hash.digest('hex');
}

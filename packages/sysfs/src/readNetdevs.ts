import { existsSync } from 'node:fs';
import type { Netdev } from '@vfmap/model';
import { DirectoryReader } from './readAttribute';
import type { ScanContext } from './scanContext';
import { parseSpeed } from './parseAttribute';

/**
 * Subdirectories of a PCI function that never hold a netdev; skipping them saves a stat each on
 * hosts with thousands of VFs. A name that looks like a PCI address is a child behind a bridge
 * (`0000:00:04.0/0000:03:00.0/net/eth0` is the child's eth0, not the bridge's).
 */
const NOT_NETDEV_PARENTS = new Set(['power', 'msi_irqs', 'link', 'pci_bus', 'net', 'ptp', 'infiniband', 'infiniband_verbs', 'nvme', 'drm']);
const CHILD_FUNCTION_RE = /^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** The directories of a function's netdevs: `net/*` and, one level down, `<child>/net/*` (virtio: `virtio0/net/ens3`). */
function netDirectories(device: DirectoryReader): string[] {
  const dirs: string[] = [];
  if (device.has('net')) dirs.push(device.path('net'));
  for (const sub of device.subdirectories()) {
    if (NOT_NETDEV_PARENTS.has(sub) || CHILD_FUNCTION_RE.test(sub)) continue;
    const net = `${device.path(sub)}/net`;
    if (existsSync(net)) dirs.push(net);
  }
  return dirs;
}

const byName = (a: Netdev, b: Netdev) => a.name.localeCompare(b.name, 'en', { numeric: true });

/**
 * The net interfaces of one PCI function. Attributes a capture did not keep (ghw keeps `net/<if>/`
 * empty) are null; a down link's speed (EINVAL from the kernel, an empty file in snapshots) is null.
 */
export function readNetdevs(scan: ScanContext, device: DirectoryReader, owner: { dir: string; address: string }): Netdev[] {
  const netdevs: Netdev[] = [];
  for (const netDir of netDirectories(device)) {
    const list = DirectoryReader.open(scan, netDir, owner);
    if (!list) continue;
    for (const name of list.subdirectories()) {
      const attrs = DirectoryReader.unlisted(scan, list.path(name), owner);
      const speed = attrs.text('speed', { quiet: ['EINVAL'] });
      const netdev = {
        name,
        mac: attrs.text('address') || null,
        operState: attrs.text('operstate') || null,
        speedMbps: speed === null ? null : parseSpeed(speed),
      };
      if (attrs.gone) {
        scan.warn('vanished', `netdev ${name} of ${owner.address} disappeared while it was read; left out`, attrs.dir);
        continue;
      }
      netdevs.push(netdev);
    }
  }
  return netdevs.sort(byName);
}

import { existsSync } from 'node:fs';
import type { Netdev } from '@vfmap/model';
import { DirectoryReader } from './readAttribute';
import type { ScanContext } from './scanContext';
import { linkBasename, parseSpeed } from './parseAttribute';

/**
 * Subdirectories of a PCI function that never hold a netdev; skipping them saves a stat each. A
 * name that looks like a PCI address is a child behind a bridge (`0000:00:04.0/0000:03:00.0/net/eth0`
 * is the child's eth0, not the bridge's).
 */
const NOT_NETDEV_PARENTS = new Set(['power', 'msi_irqs', 'link', 'pci_bus', 'net', 'ptp', 'infiniband', 'infiniband_verbs', 'nvme', 'drm']);
const CHILD_FUNCTION_RE = /^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/**
 * Drivers that hand the function to a guest and register no netdev (vfio-pci's only child is
 * `vfio-dev/vfioN`).
 */
const PASSTHROUGH_DRIVERS = new Set(['vfio-pci', 'pci-stub']);

/** Whether a function bound to `driver` (its name, or its `driver` link's text) has no netdev below it. */
export function hasNoNetdevs(driver: string): boolean {
  return PASSTHROUGH_DRIVERS.has(linkBasename(driver));
}

/**
 * The directories of a function's netdevs: `net/*` and, one level down, `<child>/net/*` (virtio's
 * `virtio0/net/ens3`, a subfunction's `mlx5_core.sf.2/net/...`).
 *
 * A netdev is registered by the driver bound to its function, or to a child that driver made, and
 * the driver unregisters it before it lets go (remove() runs while DRIVER= still shows in uevent).
 * So a function with no driver, or a passthrough one, has none and is not looked at (2096 of the
 * 2156 functions of simhost's large profile); one with a driver is listed once, for `net` and the
 * children that may hold one.
 */
function netDirectories(device: DirectoryReader, driver: string | null): string[] {
  if (driver === null || hasNoNetdevs(driver)) return [];
  device.list();
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
export function readNetdevs(scan: ScanContext, device: DirectoryReader, owner: { dir: string; address: string }, driver: string | null): Netdev[] {
  const netdevs: Netdev[] = [];
  for (const netDir of netDirectories(device, driver)) {
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
  return netdevs.length > 1 ? netdevs.sort(byName) : netdevs;
}

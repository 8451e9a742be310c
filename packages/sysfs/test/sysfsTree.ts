import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A PCI function to write into a hand-made sysfs tree, as the kernel lays it out. */
export interface TreeFunction {
  address: string;
  vendor: string;
  device: string;
  class: string;
  driver?: string;
  iommuGroup?: number;
  numaNode?: number;
  /** Further attribute files, name → content (a trailing newline is added). */
  files?: Record<string, string>;
  /** Further symlinks, name → target text. */
  links?: Record<string, string>;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function link(path: string, target: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/**
 * Writes one function at ROOT/sys/devices/pci<domain>:<bus>/<address> with its
 * sys/bus/pci/devices link, `0x`-prefixed ids, and relative `driver` and `iommu_group` links
 * (dangling, as in partial captures). Returns the function's directory.
 */
export function writeFunction(root: string, f: TreeFunction): string {
  const rootBus = f.address.slice(0, f.address.lastIndexOf(':'));
  const rel = `devices/pci${rootBus}/${f.address}`;
  const dir = join(root, 'sys', rel);
  write(join(dir, 'vendor'), `0x${f.vendor}\n`);
  write(join(dir, 'device'), `0x${f.device}\n`);
  write(join(dir, 'class'), `0x${f.class}\n`);
  write(join(dir, 'numa_node'), `${f.numaNode ?? -1}\n`);
  for (const [name, content] of Object.entries(f.files ?? {})) write(join(dir, name), `${content}\n`);
  if (f.driver) link(join(dir, 'driver'), `../../../bus/pci/drivers/${f.driver}`);
  if (f.iommuGroup !== undefined) link(join(dir, 'iommu_group'), `../../../kernel/iommu_groups/${f.iommuGroup}`);
  for (const [name, target] of Object.entries(f.links ?? {})) link(join(dir, name), target);
  link(join(root, 'sys/bus/pci/devices', f.address), `../../../${rel}`);
  return dir;
}

/** Writes a file under ROOT (for proc/, etc/, usr/share/...). */
export function writeRootFile(root: string, path: string, content: string): void {
  write(join(root, path), content);
}

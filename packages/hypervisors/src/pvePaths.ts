import { join } from 'node:path';

/**
 * Every Proxmox path vfmap reads, built from the root once. `/etc/pve/qemu-server` is
 * pmxcfs's link to this node's `nodes/<node>/qemu-server`; `/var/run/qemu-server/<vmid>.pid`
 * is where qemu-server keeps a running VM's pid (its Helpers.pm $var_run_tmpdir); the PCI
 * reservations live in `/run/qemu-server` (PCI.pm $RUNDIR).
 */
export interface PvePaths {
  root: string;
  qemuServerDir: string;
  vmConfig(vmid: string): string;
  pciMapping: string;
  hostname: string;
  pidDir: string;
  pciReservations: string;
  /** A path relative to the root, as warnings name files. */
  relative(path: string): string;
}

export function pvePaths(root = '/'): PvePaths {
  const qemuServerDir = join(root, 'etc/pve/qemu-server');
  return {
    root,
    qemuServerDir,
    vmConfig: (vmid) => join(qemuServerDir, `${vmid}.conf`),
    pciMapping: join(root, 'etc/pve/mapping/pci.cfg'),
    hostname: join(root, 'etc/hostname'),
    pidDir: join(root, 'var/run/qemu-server'),
    pciReservations: join(root, 'run/qemu-server/pci-id-reservations'),
    relative: (path) => (path.startsWith(join(root, '/')) ? path.slice(join(root, '/').length) : path),
  };
}

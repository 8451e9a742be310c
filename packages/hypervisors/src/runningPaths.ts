import { join } from 'node:path';

/**
 * Every path the reader of running QEMU processes uses, built from the root once: /proc,
 * the pidfiles of qemu-server (`/var/run/qemu-server/<vmid>.pid`) and libvirt
 * (`/run/libvirt/qemu/<dom>.pid`), qemu-server's PCI reservations and the vfio cdevs in sysfs.
 */
/** qemu-server's record of which device each starting or running VM took, as the host names it. */
export const RESERVATIONS_PATH = '/run/qemu-server/pci-id-reservations';

export interface RunningPaths {
  root: string;
  proc: string;
  cmdline(pid: number): string;
  fdDir(pid: number): string;
  pvePidDir: string;
  libvirtPidDir: string;
  pciReservations: string;
  /** `/sys/class/vfio-dev/vfioX`: links to `<pci device>/vfio-dev/vfioX`. */
  vfioDev(name: string): string;
  /** The host path a process's fd link names, inside the root (`/dev/vfio/12` → `<root>/dev/vfio/12`). */
  hostPath(absolute: string): string;
}

export function runningPaths(root = '/'): RunningPaths {
  const proc = join(root, 'proc');
  return {
    root,
    proc,
    cmdline: (pid) => join(proc, String(pid), 'cmdline'),
    fdDir: (pid) => join(proc, String(pid), 'fd'),
    pvePidDir: join(root, 'var/run/qemu-server'),
    libvirtPidDir: join(root, 'run/libvirt/qemu'),
    pciReservations: join(root, RESERVATIONS_PATH),
    vfioDev: (name) => join(root, 'sys/class/vfio-dev', name),
    hostPath: (absolute) => join(root, absolute),
  };
}

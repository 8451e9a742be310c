import { readdir, readFile, readlink } from 'node:fs/promises';
import type { RunningFacts, RunningQemu, RunningReservation, Warning } from '@vfmap/model';
import { parsePciReservations } from './parsePciReservations';
import { parseQemuCmdline, splitCmdline, type QemuCmdline } from './parseQemuCmdline';
import { runningPaths, type RunningPaths } from './runningPaths';

interface PidfileClaim {
  kind: 'proxmox' | 'libvirt';
  vmId: string;
  /** The path as the process's `-pidfile` must name it (host view, no root). */
  hostPaths: string[];
}

/**
 * Reads which QEMU processes run on the host under `root` and what they hold: their
 * `-device vfio-pci` arguments and their open `/dev/vfio` fds. The scan budget: the cmdline of
 * each /proc/<digits> is read once; fd directories only of QEMU processes. Lenient: a process
 * that ends during the scan is skipped; fd directories that cannot be read (another user's
 * process without root) are said in one warning.
 */
export async function readRunningQemus(root = '/'): Promise<RunningFacts> {
  const paths = runningPaths(root);
  const pids = (await listOrEmpty(paths.proc)).filter((n) => /^\d+$/.test(n)).map(Number);
  const live = new Set(pids);
  const [claims, cmdlines] = await Promise.all([readPidfiles(paths), inBatches(pids, (pid) => readCmdline(paths, pid))]);

  const processes: RunningQemu[] = [];
  const unreadable: number[] = [];
  // One QEMU after another: each has a few hundred fds, read in parallel.
  for (const [i, pid] of pids.entries()) {
    const cmd = cmdlines[i];
    if (!cmd) continue;
    const claim = trustedClaim(claims.get(pid), cmd);
    const fds = await readVfioFds(paths, pid);
    if (fds === 'unreadable') unreadable.push(pid);
    const { groups, devices } = fds === 'unreadable' ? { groups: [], devices: [] } : fds;
    if (!claim && cmd.hosts.length === 0 && groups.length === 0 && devices.length === 0) continue;
    processes.push({
      pid,
      vmId: claim?.vmId ?? null,
      name: cmd.name,
      via: claim?.kind ?? 'process',
      hosts: cmd.hosts,
      vfioGroups: groups,
      vfioDevices: devices,
      fdsRead: fds !== 'unreadable',
    });
  }
  processes.sort((a, b) => a.pid - b.pid);
  const warnings: Warning[] = unreadable.length
    ? [{ code: 'unreadable', message: `the open files of QEMU process${unreadable.length > 1 ? 'es' : ''} ${unreadable.sort((a, b) => a - b).join(', ')} cannot be read (another user's process needs root): their /dev/vfio holds are unknown`, path: 'proc' }]
    : [];
  return { processes, reservations: await readReservations(paths, live), warnings };
}

/**
 * Maps in batches: a host runs thousands of processes, and as many files open at once could meet
 * EMFILE, which would read as "process gone" and hide a QEMU.
 */
async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>, size = 64): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(read))));
  return out;
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** A process's command line as QEMU arguments; null when it is no QEMU, or gone. */
export async function readCmdline(paths: RunningPaths, pid: number): Promise<QemuCmdline | null> {
  try {
    return parseQemuCmdline(splitCmdline(await readFile(paths.cmdline(pid), 'utf8')));
  } catch {
    return null; // gone, or a kernel thread
  }
}

async function readPidfiles(paths: RunningPaths): Promise<Map<number, PidfileClaim>> {
  const out = new Map<number, PidfileClaim>();
  const dirs = [
    { kind: 'proxmox' as const, dir: paths.pvePidDir, hostDirs: ['/var/run/qemu-server', '/run/qemu-server'] },
    { kind: 'libvirt' as const, dir: paths.libvirtPidDir, hostDirs: ['/run/libvirt/qemu', '/var/run/libvirt/qemu'] },
  ];
  for (const { kind, dir, hostDirs } of dirs) {
    for (const file of await listOrEmpty(dir)) {
      if (!file.endsWith('.pid')) continue;
      const vmId = file.slice(0, -'.pid'.length);
      if (kind === 'proxmox' && !/^\d+$/.test(vmId)) continue;
      try {
        const pid = Number((await readFile(`${dir}/${file}`, 'utf8')).trim());
        if (Number.isInteger(pid) && pid > 0) out.set(pid, { kind, vmId, hostPaths: hostDirs.map((d) => `${d}/${file}`) });
      } catch {
        // removed while listed: the VM stopped
      }
    }
  }
  return out;
}

/**
 * qemu-server trusts a pidfile only when the process's cmdline is a QEMU whose `-pidfile` is
 * that file (a recycled pid is someone else). libvirt's QEMU gets no `-pidfile` from libvirtd
 * (libvirtd writes the file): there the guest name must not contradict the domain.
 */
function trustedClaim(claim: PidfileClaim | undefined, cmd: QemuCmdline): PidfileClaim | null {
  if (!claim) return null;
  if (claim.kind === 'proxmox') return cmd.pidfile !== null && claim.hostPaths.includes(cmd.pidfile) ? claim : null;
  if (cmd.pidfile !== null) return claim.hostPaths.includes(cmd.pidfile) ? claim : null;
  return cmd.name === null || cmd.name === claim.vmId ? claim : null;
}

/** Where each open fd of a process points (`readlink /proc/<pid>/fd/*`); 'unreadable' for another user's process without root. */
export async function readFdTargets(paths: RunningPaths, pid: number): Promise<string[] | 'unreadable' | 'gone'> {
  let fds: string[];
  try {
    fds = await readdir(paths.fdDir(pid));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'unreadable' : 'gone';
  }
  const targets = await Promise.all(fds.map((fd) => readlink(`${paths.fdDir(pid)}/${fd}`).catch(() => null)));
  return targets.filter((t): t is string => t !== null);
}

/** The IOMMU groups (`/dev/vfio/<N>`) and vfio cdevs (`/dev/vfio/devices/vfioX`, as PCI addresses) a process has open. */
export async function readVfioFds(paths: RunningPaths, pid: number): Promise<{ groups: number[]; devices: string[] } | 'unreadable'> {
  const targets = await readFdTargets(paths, pid);
  if (targets === 'unreadable') return targets;
  const groups = new Set<number>();
  const devices = new Set<string>();
  for (const target of targets === 'gone' ? [] : targets) {
    const group = /^\/dev\/vfio\/(\d+)$/.exec(target);
    if (group) groups.add(Number(group[1]));
    const cdev = /^\/dev\/vfio\/devices\/(vfio\d+)$/.exec(target);
    if (cdev) {
      const address = await vfioDevAddress(paths, cdev[1]!);
      if (address) devices.add(address);
    }
  }
  return { groups: [...groups].sort((a, b) => a - b), devices: [...devices].sort() };
}

/** `/sys/class/vfio-dev/vfioX` links to `.../<pci address>/vfio-dev/vfioX`. */
async function vfioDevAddress(paths: RunningPaths, name: string): Promise<string | null> {
  try {
    const parts = (await readlink(paths.vfioDev(name))).split('/');
    const at = parts.lastIndexOf('vfio-dev');
    return at > 0 ? parts[at - 1]! : null;
  } catch {
    return null;
  }
}

async function readReservations(paths: RunningPaths, live: ReadonlySet<number>): Promise<RunningReservation[]> {
  let text: string;
  try {
    text = await readFile(paths.pciReservations, 'utf8');
  } catch {
    return [];
  }
  return parsePciReservations(text).map((r) => ({ address: r.address, vmId: r.vmid, pid: r.pid, stale: r.pid !== null && !live.has(r.pid) }));
}


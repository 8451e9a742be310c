import { readFile, readlink, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { simulatedGroupFd } from '@vfmap/model';

/**
 * What a hot-plug changes in a simulated VM's QEMU process: the fd on the device's IOMMU group
 * (`/proc/<pid>/fd/<N>` → `/dev/vfio/<group>`), opened at attach and closed at detach unless
 * another of the VM's devices shares the group. The command line stays as it was started, as a
 * real QEMU's does. A VM with no process (stopped, or a tree generated without one) is left alone.
 */
export async function syncSimulatedGroupFd(root: string, vmId: string, address: string, stillHeld: readonly string[]): Promise<void> {
  let pid: string;
  try {
    pid = (await readFile(join(root, 'var/run/qemu-server', `${vmId}.pid`), 'utf8')).trim();
  } catch {
    return;
  }
  const group = await groupOf(root, address);
  if (group === null) return;
  const fd = join(root, 'proc', pid, 'fd', String(simulatedGroupFd(group)));
  const groups = await Promise.all(stillHeld.map((a) => groupOf(root, a)));
  await rm(fd, { force: true });
  if (groups.includes(group)) await symlink(`/dev/vfio/${group}`, fd);
}

async function groupOf(root: string, address: string): Promise<number | null> {
  try {
    return Number(basename(await readlink(join(root, 'sys/bus/pci/devices', address, 'iommu_group'))));
  } catch {
    return null;
  }
}

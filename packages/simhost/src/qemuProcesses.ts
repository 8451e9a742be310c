import { chmodSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { simulatedGroupFd } from '@vfmap/model';
import type { HostProfile } from './hostProfile';
import { liveDevices } from './hypervisorState';

/** The pid a running or paused VM's QEMU gets in the simulated /proc: stable per profile. */
export const SIM_QEMU_FIRST_PID = 4100;

interface SimQemu {
  pid: number;
  vmId: string | null;
  name: string;
  hosts: string[];
}

/**
 * The QEMU processes of the simulated host, as qemu-server starts them: a `/usr/bin/kvm` with
 * `-id`, `-name` and `-pidfile /var/run/qemu-server/<vmid>.pid`, one `-device
 * vfio-pci,host=<bdf>,id=hostpciN` per device in effect, the pidfile, and an fd per IOMMU group
 * in `/proc/<pid>/fd` (`/dev/vfio/<group>`, beside the container's `/dev/vfio/vfio`). Running and
 * paused VMs have one; stopped VMs none. The profile's hand-started QEMUs (`strayQemus`) are
 * processes no pidfile and no config names. qemu-server's `pci-id-reservations` lists each VM
 * device with its pid, and the profile's stale reservations with a pid that is gone.
 *
 * Written after boot: a VF's group exists only once the simulated kernel created the VF.
 */
export function writeQemuProcesses(root: string, profile: HostProfile): void {
  const qemus: SimQemu[] = profile.vms
    .filter((vm) => vm.state === 'running' || vm.state === 'paused')
    .map((vm, i) => ({ pid: SIM_QEMU_FIRST_PID + i, vmId: vm.id, name: vm.name, hosts: liveDevices(vm) }));
  qemus.push(...(profile.strayQemus ?? []).map((q) => ({ pid: q.pid, vmId: null, name: q.name, hosts: q.hosts })));
  const reservations: string[] = [];
  for (const q of qemus) {
    const argv = q.vmId
      ? ['/usr/bin/kvm', '-id', q.vmId, '-name', `${q.name},debug-threads=on`, '-no-shutdown', '-pidfile', `/var/run/qemu-server/${q.vmId}.pid`, '-daemonize']
      : ['/usr/bin/qemu-system-x86_64', '-name', q.name, '-machine', 'q35,accel=kvm', '-m', '2048'];
    q.hosts.forEach((host, n) => argv.push('-device', `vfio-pci,host=${host},id=hostpci${n}`));
    const dir = join(root, 'proc', String(q.pid));
    mkdirSync(join(dir, 'fd'), { recursive: true });
    writeFileSync(join(dir, 'cmdline'), argv.map((a) => `${a}\0`).join(''));
    symlinkSync('/dev/null', join(dir, 'fd', '0'));
    symlinkSync('/dev/vfio/vfio', join(dir, 'fd', '3'));
    const groups = [...new Set(q.hosts.map((h) => groupOf(root, h)).filter((g): g is string => g !== null))];
    for (const group of groups) symlinkSync(`/dev/vfio/${group}`, join(dir, 'fd', String(simulatedGroupFd(Number(group)))));
    // The kernel makes /proc/<pid>/fd dr-x------ for the process's owner: another user (the split
    // agent's HTTP side) cannot read it, its root helper can. 0700 so that the simulated hot-plug
    // (whose owner made the tree) can still change it.
    chmodSync(join(dir, 'fd'), 0o700);
    if (q.vmId) {
      mkdirSync(join(root, 'var/run/qemu-server'), { recursive: true });
      writeFileSync(join(root, 'var/run/qemu-server', `${q.vmId}.pid`), `${q.pid}\n`);
      for (const host of q.hosts) reservations.push(`${host} ${q.vmId} pid:${q.pid}`);
    }
  }
  for (const r of profile.staleReservations ?? []) reservations.push(`${r.address} ${r.vmId} pid:${r.pid}`);
  if (reservations.length > 0) {
    mkdirSync(join(root, 'run/qemu-server'), { recursive: true });
    writeFileSync(join(root, 'run/qemu-server/pci-id-reservations'), `${reservations.join('\n')}\n`);
  }
}

/** A device's IOMMU group as the kernel links it (`iommu_group` → `.../iommu_groups/<N>`). */
export function groupOf(root: string, address: string): string | null {
  try {
    return basename(readlinkSync(join(root, 'sys/bus/pci/devices', address, 'iommu_group')));
  } catch {
    return null;
  }
}

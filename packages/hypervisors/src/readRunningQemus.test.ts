import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunningQemus } from './readRunningQemus';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vfmap-running-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function file(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}
async function link(path: string, target: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await symlink(target, join(root, path));
}
/** A process as the kernel shows it: NUL-terminated arguments, fd links to what it has open. */
async function proc(pid: number, argv: string[], fds: string[] = []): Promise<void> {
  await file(`proc/${pid}/cmdline`, argv.map((a) => `${a}\0`).join(''));
  await mkdir(join(root, `proc/${pid}/fd`), { recursive: true });
  for (const [i, target] of fds.entries()) await link(`proc/${pid}/fd/${i + 20}`, target);
}
const kvm = (vmid: string, ...rest: string[]) => ['/usr/bin/kvm', '-id', vmid, '-name', `vm${vmid},debug-threads=on`, '-pidfile', `/var/run/qemu-server/${vmid}.pid`, ...rest];

describe('readRunningQemus', () => {
  it('trusts a Proxmox pidfile whose process is a QEMU with that -pidfile, and reads its vfio-pci hosts and groups', async () => {
    await file('var/run/qemu-server/100.pid', '4242\n');
    await proc(4242, kvm('100', '-device', 'vfio-pci,host=0000:3b:01.1,id=hostpci0,bus=ich9-pcie-port-1', '-device', 'vfio-pci,host=3b:01.2,id=hostpci1'), ['/dev/vfio/vfio', '/dev/vfio/101', '/dev/vfio/102', '/dev/null', 'anon_inode:[vfio-device]']);
    const facts = await readRunningQemus(root);
    expect(facts.processes).toEqual([
      { pid: 4242, vmId: '100', name: 'vm100', via: 'proxmox', hosts: ['0000:3b:01.1', '0000:3b:01.2'], vfioGroups: [101, 102], vfioDevices: [], fdsRead: true },
    ]);
    expect(facts.warnings).toEqual([]);
  });

  it('does not trust a pidfile whose pid is now another program or a QEMU with another -pidfile', async () => {
    await file('var/run/qemu-server/100.pid', '4242\n');
    await file('var/run/qemu-server/101.pid', '4343\n');
    await proc(4242, ['/usr/sbin/sshd', '-D'], ['/dev/vfio/101']);
    await proc(4343, kvm('102', '-device', 'vfio-pci,host=0000:3b:01.0'));
    const facts = await readRunningQemus(root);
    // 4242 is no QEMU: not a holder, its fds not even read. 4343 is QEMU 102's, found as a foreign QEMU.
    expect(facts.processes).toEqual([
      { pid: 4343, vmId: null, name: 'vm102', via: 'process', hosts: ['0000:3b:01.0'], vfioGroups: [], vfioDevices: [], fdsRead: true },
    ]);
  });

  it('finds a hand-started QEMU with a vfio device and a libvirt domain by its pidfile', async () => {
    await file('run/libvirt/qemu/web.pid', '5000');
    await proc(5000, ['/usr/bin/qemu-system-x86_64', '-name', 'guest=web,debug-threads=on', '-device', '{"driver":"vfio-pci","host":"0000:3b:01.2","id":"hostdev0"}'], ['/dev/vfio/102']);
    await proc(5001, ['qemu-system-x86_64', '-m', '512', '-device', 'vfio-pci,sysfsdev=/sys/bus/pci/devices/0000:3b:01.3/'], []);
    await proc(5002, ['qemu-system-x86_64', '-m', '512']); // a QEMU with nothing of ours: not listed
    await link('sys/class/vfio-dev/vfio0', '../../devices/pci0000:3a/0000:3a:00.0/0000:3b:01.4/vfio-dev/vfio0');
    await proc(5003, ['/usr/libexec/qemu-kvm'], ['/dev/iommu', '/dev/vfio/devices/vfio0']);
    const facts = await readRunningQemus(root);
    expect(facts.processes).toEqual([
      { pid: 5000, vmId: 'web', name: 'web', via: 'libvirt', hosts: ['0000:3b:01.2'], vfioGroups: [102], vfioDevices: [], fdsRead: true },
      { pid: 5001, vmId: null, name: null, via: 'process', hosts: ['0000:3b:01.3'], vfioGroups: [], vfioDevices: [], fdsRead: true },
      { pid: 5003, vmId: null, name: null, via: 'process', hosts: [], vfioGroups: [], vfioDevices: ['0000:3b:01.4'], fdsRead: true },
    ]);
  });

  it('marks a pid: reservation whose process is gone as stale, and keeps time: entries', async () => {
    await proc(4242, kvm('100'));
    await file('var/run/qemu-server/100.pid', '4242\n');
    await file('run/qemu-server/pci-id-reservations', '0000:3b:01.1 100 pid:4242\n0000:3b:01.2 101 pid:999\n3b:01.3 102 time:1767600000\ngarbage\n');
    const facts = await readRunningQemus(root);
    expect(facts.reservations).toEqual([
      { address: '0000:3b:01.1', vmId: '100', pid: 4242, stale: false },
      { address: '0000:3b:01.2', vmId: '101', pid: 999, stale: true },
      { address: '0000:3b:01.3', vmId: '102', pid: null, stale: false },
    ]);
  });

  it('answers nothing, without failing, on a root with no /proc', async () => {
    expect(await readRunningQemus(root)).toEqual({ processes: [], reservations: [], warnings: [] });
  });
});

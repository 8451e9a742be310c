import { mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Test support: a QEMU started by hand (no pidfile, no VM config) holding `vf`, in the tree's
 * /proc: its cmdline names the device and its fd table has the VF's IOMMU group open, as the
 * kernel shows another process's. The VF must exist (its `iommu_group` link is read).
 */
export function handStartedQemu(root: string, pid: number, name: string, vf: string): void {
  const group = basename(readlinkSync(join(root, 'sys/bus/pci/devices', vf, 'iommu_group')));
  const dir = join(root, 'proc', String(pid));
  mkdirSync(join(dir, 'fd'), { recursive: true });
  const argv = ['/usr/bin/qemu-system-x86_64', '-name', name, '-machine', 'q35,accel=kvm', '-device', `vfio-pci,host=${vf},id=hostdev0`];
  writeFileSync(join(dir, 'cmdline'), argv.map((a) => `${a}\0`).join(''));
  symlinkSync('/dev/vfio/vfio', join(dir, 'fd', '3'));
  symlinkSync(`/dev/vfio/${group}`, join(dir, 'fd', '21'));
}

/**
 * Test support: a Proxmox cluster node known by 10.0.0.5 (`/etc/pve/.members`), which vmbr1 holds
 * (its connected route in /proc/net/route), a bridge over `port`; the default route leaves by vmbr0.
 */
export function handNodeAddressOn(root: string, port: string): void {
  const header = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';
  const lines = [header, 'vmbr0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0', 'vmbr0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0', 'vmbr1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'];
  mkdirSync(join(root, 'proc/net'), { recursive: true });
  writeFileSync(join(root, 'proc/net/route'), lines.map((l) => `${l.padEnd(127)}\n`).join(''));
  mkdirSync(join(root, 'etc/pve'), { recursive: true });
  writeFileSync(
    join(root, 'etc/pve/.members'),
    JSON.stringify({ nodename: 'pve1', version: 5, cluster: { name: 'lab', version: 2, nodes: 2, quorate: 1 }, nodelist: { pve1: { id: 1, online: 1, ip: '10.0.0.5' }, pve2: { id: 2, online: 1, ip: '10.0.0.6' } } }),
  );
  mkdirSync(join(root, 'sys/class/net/vmbr1/brif', port), { recursive: true });
}

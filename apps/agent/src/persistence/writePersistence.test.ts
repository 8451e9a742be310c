import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { DEBIAN_DEFAULT_LINK, hostTree, type HostTree } from './hostTree';
import { checkOwnPath, PersistPathRefused, writePersistence } from './writePersistence';

const PF = '0000:01:00.0';
const trees: HostTree[] = [];
afterEach(() => {
  for (const t of trees.splice(0)) t.remove();
});

/** A host with one igb PF (eth0 by the kernel, named enp1s0 by udev) and Debian's 99-default.link. */
function host(): HostTree {
  const t = hostTree({ '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK });
  const net = `/sys/bus/pci/devices/${PF}/net/enp1s0`;
  t.write(`${net}/address`, '52:54:00:12:34:56\n');
  t.write(`${net}/addr_assign_type`, '0\n');
  t.write(`${net}/name_assign_type`, '4\n');
  t.write(`${net}/type`, '1\n');
  trees.push(t);
  return t;
}

const desired = (count: number, vfs: DesiredPfState['vfs'] = []): DesiredPfState => ({ count, vendorId: '8086', deviceId: '10c9', setAt: '2026-12-06T10:00:00.000Z', stableMacs: false, driversAutoprobe: null, vfs });

describe('checkOwnPath', () => {
  it('takes only the names the planner gives vfmap\'s own files under /etc/systemd/network', () => {
    expect(() => checkOwnPath('/etc/systemd/network/70-vfmap-enp1s0.link')).not.toThrow();
    expect(() => checkOwnPath('/etc/systemd/network/50-pmx-nic0.link.d/vfmap-sriov.conf')).not.toThrow();
    for (const bad of [
      '/etc/systemd/network/99-default.link',
      '/etc/systemd/network/../system/evil.service',
      '/run/systemd/network/70-vfmap-enp1s0.link',
      '/etc/systemd/network/50-pin.link.d/other.conf',
      '/etc/systemd/network/x/70-vfmap-a.link',
      '/etc/systemd/network//70-vfmap-a.link',
      '/etc/shadow',
    ]) {
      expect(() => checkOwnPath(bad), bad).toThrow(PersistPathRefused);
    }
  });
});

describe('writePersistence (the root side)', () => {
  it('writes a file for the PF before 99-default.link with its name policies, mode 0644, and says to update the initramfs', async () => {
    const t = host();
    const outcome = await writePersistence({ root: t.root, pf: PF, desired: desired(2, [{ index: 1, settings: { mac: '02:00:00:00:01:01', vlan: 10 }, driver: 'vfio-pci' }]), systemdVersion: 252 });
    expect(outcome).toMatchObject({ mechanism: 'link-file', path: '/etc/systemd/network/70-vfmap-enp1s0.link', written: true, removed: [], initramfs: true });
    const file = join(t.root, outcome.path!);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[Match]\nPermanentMACAddress=52:54:00:12:34:56\n');
    expect(text).toContain('NamePolicy=keep kernel database onboard slot path\n');
    expect(text).toContain('SR-IOVVirtualFunctions=2\n\n[SR-IOV]\nVirtualFunction=1\nMACAddress=02:00:00:00:01:01\nVLANId=10\n');
    // The same again: nothing written, no initramfs update.
    expect(await writePersistence({ root: t.root, pf: PF, desired: desired(2, [{ index: 1, settings: { mac: '02:00:00:00:01:01', vlan: 10 }, driver: 'vfio-pci' }]), systemdVersion: 252 })).toMatchObject({ written: false, initramfs: false });
  });

  it('in refresh mode writes nothing where vfmap has no file yet, and keeps an existing one in step', async () => {
    const t = host();
    expect(await writePersistence({ root: t.root, pf: PF, desired: desired(4), systemdVersion: 252, mode: 'refresh' })).toMatchObject({ written: false });
    expect(existsSync(join(t.root, '/etc/systemd/network/70-vfmap-enp1s0.link'))).toBe(false);
    await writePersistence({ root: t.root, pf: PF, desired: desired(4), systemdVersion: 252 });
    expect(await writePersistence({ root: t.root, pf: PF, desired: desired(6), systemdVersion: 252, mode: 'refresh' })).toMatchObject({ written: true });
    expect(readFileSync(join(t.root, '/etc/systemd/network/70-vfmap-enp1s0.link'), 'utf8')).toContain('SR-IOVVirtualFunctions=6\n');
  });

  it('removes vfmap\'s file when nothing is desired, and leaves the admin\'s files', async () => {
    const t = host();
    await writePersistence({ root: t.root, pf: PF, desired: desired(2), systemdVersion: 252 });
    const outcome = await writePersistence({ root: t.root, pf: PF, desired: null, systemdVersion: 252 });
    expect(outcome).toMatchObject({ mechanism: 'none', removed: ['/etc/systemd/network/70-vfmap-enp1s0.link'], initramfs: true });
    expect(existsSync(join(t.root, '/etc/systemd/network/70-vfmap-enp1s0.link'))).toBe(false);
    expect(existsSync(join(t.root, '/usr/lib/systemd/network/99-default.link'))).toBe(true);
  });

  it('writes nothing where systemd is too old: the apply-desired unit keeps the count', async () => {
    const t = host();
    const outcome = await writePersistence({ root: t.root, pf: PF, desired: desired(2), systemdVersion: 247 });
    expect(outcome).toMatchObject({ mechanism: 'apply-desired', written: false, path: '/etc/systemd/system/vfmap-apply-desired.service' });
    expect(existsSync(join(t.root, '/etc/systemd/network'))).toBe(false);
  });
});

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Topology } from '@vfmap/model';
import { copyForEachTest, fixture } from '../test/extractFixture';
import { writeFunction } from '../test/sysfsTree';
import { readTopology } from './readTopology';

/**
 * A function's ids, class and driver come from its uevent, one read where the id files and the
 * driver link are four; the files are read where uevent is missing or cannot stand for them. These
 * tests take the real-kernel snapshot with VFs and change its uevent files.
 */
let root: string;
const dev = (address: string, name = '') => join(root, 'sys/bus/pci/devices', address, name);
const read = () => {
  const t = readTopology({ root, pciIds: null });
  expect(() => Topology.parse(t)).not.toThrow();
  return t;
};
const nic = (t: Topology) => t.devices.find((d) => d.address === '0000:03:00.0');
const E1000E = { vendorId: '8086', deviceId: '10d3', class: '020000', driver: 'e1000e' };

describe('readTopology and uevent', () => {
  copyForEachTest(fixture('realkernel', 'vfs-enabled'), (copy) => {
    root = copy;
  });

  it('reads ids, class and driver from uevent alone: the function is whole without its id files and driver link', () => {
    for (const name of ['vendor', 'device', 'class', 'driver']) unlinkSync(dev('0000:03:00.0', name));
    const t = read();
    expect(nic(t)).toMatchObject(E1000E);
    expect(t.warnings).toEqual([]);
  });

  it("reads a PF's subsystem ids from PCI_SUBSYS_ID", () => {
    for (const name of ['subsystem_vendor', 'subsystem_device']) unlinkSync(dev('0000:01:00.0', name));
    expect(read().pfs[0]).toMatchObject({ address: '0000:01:00.0', subsystemVendorId: '1af4', subsystemDeviceId: '1100' });
  });

  it('reads the id files and the driver link, and reports what they say, where uevent names another function (a hand-copied capture)', () => {
    copyFileSync(dev('0000:00:1f.0', 'uevent'), dev('0000:03:00.0', 'uevent'));
    const t = read();
    expect(nic(t)).toMatchObject(E1000E);
    expect(t.warnings).toEqual([]);
  });

  it('reads the files where uevent lacks PCI_CLASS', () => {
    const uevent = readFileSync(dev('0000:03:00.0', 'uevent'), 'utf8');
    writeFileSync(dev('0000:03:00.0', 'uevent'), uevent.replace(/^PCI_CLASS=.*\n/m, '').replace('PCI_ID=8086:10D3', 'PCI_ID=8086:FFFF'));
    expect(nic(read())).toMatchObject(E1000E);
  });

  it('reads the files, with no warning, when uevent is there but gone when opened, while the function stays', () => {
    unlinkSync(dev('0000:03:00.0', 'uevent'));
    symlinkSync('gone-while-reading', dev('0000:03:00.0', 'uevent'));
    const t = read();
    expect(nic(t)).toMatchObject(E1000E);
    expect(t.warnings).toEqual([]);
  });
});

describe('readTopology looking for netdevs', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vfmap-sysfs-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('looks only below a function whose driver can have registered one: not an unbound one, not one on vfio-pci', () => {
    const withNet = (address: string, driver: string | undefined, netDir: string) => {
      const dir = writeFunction(root, { address, vendor: '8086', device: '1889', class: '020000', driver });
      mkdirSync(join(dir, netDir), { recursive: true });
    };
    withNet('0000:18:01.0', undefined, 'net/stale0');
    withNet('0000:18:01.1', 'vfio-pci', 'net/stale1');
    withNet('0000:18:01.2', 'iavf', 'net/ens1f0v2');
    withNet('0000:00:03.0', 'virtio-pci', 'virtio0/net/ens3');
    const netdevs = read().devices.map((d) => [d.address, d.netdevs.map((n) => n.name)]);
    expect(netdevs).toEqual([
      ['0000:00:03.0', ['ens3']],
      ['0000:18:01.0', []],
      ['0000:18:01.1', []],
      ['0000:18:01.2', ['ens1f0v2']],
    ]);
  });
});

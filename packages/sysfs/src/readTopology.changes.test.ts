import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Topology } from '@vfmap/model';
import { copyForEachTest, fixture } from '../test/extractFixture';
import { writeFunction, writeRootFile } from '../test/sysfsTree';
import { readTopology } from './readTopology';

/**
 * A live host changes under the reader: VFs come and go, drivers bind and unbind. These tests
 * take the real-kernel snapshot with VFs and change it the way the kernel would mid-scan (or the
 * way a broken capture looks), then check the reading: never a crash, never a half-read device
 * presented as whole, a warning for each thing that could not be read.
 */
let root: string;
const dev = (address: string, name = '') => join(root, 'sys/bus/pci/devices', address, name);
const read = () => {
  const t = readTopology({ root, pciIds: null });
  expect(() => Topology.parse(t)).not.toThrow();
  return t;
};
const everyAddress = (t: Topology) => [...t.devices, ...t.pfs, ...t.pfs.flatMap((p) => p.vfs)].map((d) => d.address);
/** Replaces a file with a symlink to nowhere: listed in its directory, gone when opened (ENOENT). */
const vanishAfterListing = (path: string) => {
  unlinkSync(path);
  symlinkSync('gone-while-reading', path);
};
/**
 * Removes a function's uevent, as ghw captures keep none: its ids, class and driver are then read
 * from the vendor, device and class files and the driver link, which the next tests break.
 */
const withoutUevent = (address: string) => unlinkSync(dev(address, 'uevent'));
/** Replaces a file with a directory: there, but its read fails (EISDIR), as an unreadable file does. */
const makeUnreadable = (path: string) => {
  unlinkSync(path);
  mkdirSync(path);
};

describe('readTopology on a host that changes or is broken', () => {
  copyForEachTest(fixture('realkernel', 'vfs-enabled'), (copy) => {
    root = copy;
  });

  it('leaves out a VF whose directory is gone while its link is still listed, with a "vanished" warning', () => {
    rmSync(join(root, 'sys/devices/pci0000:00/0000:00:02.0/0000:01:00.2'), { recursive: true });
    const t = read();
    expect(t.pfs[0]!.vfs.map((v) => [v.index, v.address])).toEqual([
      [0, '0000:01:00.1'],
      [2, '0000:01:00.3'],
      [3, '0000:01:00.4'],
    ]);
    expect(t.warnings).toEqual([
      { code: 'vanished', message: expect.stringContaining('0000:01:00.2 disappeared'), path: 'sys/bus/pci/devices/0000:01:00.2' },
    ]);
  });

  it('leaves out a device whose vendor file goes away after the directory was listed', () => {
    withoutUevent('0000:00:1f.3');
    vanishAfterListing(dev('0000:00:1f.3', 'vendor'));
    const t = read();
    expect(everyAddress(t)).not.toContain('0000:00:1f.3');
    expect(t.warnings).toEqual([
      { code: 'vanished', message: expect.stringContaining('0000:00:1f.3'), path: 'sys/bus/pci/devices/0000:00:1f.3/vendor' },
    ]);
    // the group still has it: the kernel lists it there
    expect(t.iommuGroups.find((g) => g.id === 7)!.devices).toContain('0000:00:1f.3');
  });

  it('reports an optional attribute that goes away while the device stays as null, with a warning', () => {
    vanishAfterListing(dev('0000:03:00.0', 'numa_node'));
    const t = read();
    expect(t.devices.find((d) => d.address === '0000:03:00.0')).toMatchObject({ numaNode: null, driver: 'e1000e' });
    expect(t.warnings).toEqual([
      { code: 'vanished', message: expect.stringContaining('numa_node of 0000:03:00.0'), path: 'sys/bus/pci/devices/0000:03:00.0/numa_node' },
    ]);
  });

  it('leaves out a device whose class cannot be read, and reports an unreadable numa_node as null', () => {
    withoutUevent('0000:00:1f.2');
    makeUnreadable(dev('0000:00:1f.2', 'class'));
    makeUnreadable(dev('0000:00:1f.0', 'numa_node'));
    const t = read();
    expect(everyAddress(t)).not.toContain('0000:00:1f.2');
    expect(t.devices.find((d) => d.address === '0000:00:1f.0')!.numaNode).toBeNull();
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([
      ['unreadable', 'sys/bus/pci/devices/0000:00:1f.0/numa_node'],
      ['unreadable', 'sys/bus/pci/devices/0000:00:1f.2/class'],
    ]);
  });

  it('leaves out a device whose vendor is not a hex id', () => {
    withoutUevent('0000:00:10.0');
    writeFileSync(dev('0000:00:10.0', 'vendor'), 'garbage\n');
    const t = read();
    expect(everyAddress(t)).not.toContain('0000:00:10.0');
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([['malformed', 'sys/bus/pci/devices/0000:00:10.0/vendor']]);
  });

  it('keeps a device whose net/ goes away after it was listed (its driver unbinding), with no netdevs and a warning', () => {
    rmSync(dev('0000:03:00.0', 'net'), { recursive: true });
    symlinkSync('gone-while-reading', dev('0000:03:00.0', 'net'));
    const t = read();
    expect(t.devices.find((d) => d.address === '0000:03:00.0')).toMatchObject({ driver: 'e1000e', netdevs: [] });
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([['vanished', 'sys/bus/pci/devices/0000:03:00.0/net']]);
  });

  it('warns when a VF\'s physfn link names another PF, and keeps the VF where virtfnN puts it', () => {
    unlinkSync(dev('0000:01:00.3', 'physfn'));
    symlinkSync('../0000:02:00.0', dev('0000:01:00.3', 'physfn'));
    const t = read();
    expect(t.pfs[0]!.vfs.find((v) => v.address === '0000:01:00.3')).toMatchObject({ index: 2, pf: '0000:01:00.0' });
    expect(t.warnings).toEqual([
      { code: 'physfn-mismatch', message: expect.stringContaining('names 0000:02:00.0'), path: 'sys/bus/pci/devices/0000:01:00.3/physfn' },
    ]);
  });

  it('leaves out a VF that no PF lists and warns that its PF counts fewer links than sriov_numvfs', () => {
    unlinkSync(dev('0000:02:00.0', 'virtfn2'));
    const t = read();
    expect(everyAddress(t)).not.toContain('0000:02:00.3');
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([
      ['numvfs-mismatch', 'sys/bus/pci/devices/0000:02:00.0/sriov_numvfs'],
      ['orphan-vf', 'sys/bus/pci/devices/0000:02:00.3/physfn'],
    ]);
  });

  it('warns about a virtfn link to a VF that is nowhere, and keeps the VFs that are there', () => {
    symlinkSync('../0000:01:00.7', dev('0000:01:00.0', 'virtfn4'));
    writeFileSync(dev('0000:01:00.0', 'sriov_numvfs'), '5\n');
    const t = read();
    expect(t.pfs[0]!.vfs).toHaveLength(4);
    expect(t.warnings).toEqual([
      { code: 'vf-missing', message: expect.stringContaining('0000:01:00.7'), path: 'sys/bus/pci/devices/0000:01:00.7' },
    ]);
  });

  it('skips an entry of sys/bus/pci/devices that is not a PCI address', () => {
    symlinkSync('../../../devices/pci0000:00/0000:00:00.0', join(root, 'sys/bus/pci/devices/not-a-device'));
    const t = read();
    expect(t.devices).toHaveLength(11);
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([['not-a-pci-address', 'sys/bus/pci/devices/not-a-device']]);
  });

  it('warns about a driver that is a directory instead of a link, and reports no driver', () => {
    withoutUevent('0000:03:00.0');
    unlinkSync(dev('0000:03:00.0', 'driver'));
    mkdirSync(dev('0000:03:00.0', 'driver'));
    const t = read();
    expect(t.devices.find((d) => d.address === '0000:03:00.0')!.driver).toBeNull();
    expect(t.warnings.map((w) => w.code)).toEqual(['not-a-link']);
  });

  it('keeps an IOMMU group that also holds a non-PCI device, with a warning that it is shared', () => {
    symlinkSync('../../../../devices/platform/ff800000.gpu', join(root, 'sys/kernel/iommu_groups/10/devices/ff800000.gpu'));
    const t = read();
    expect(t.iommuGroups.find((g) => g.id === 10)).toEqual({ id: 10, devices: ['0000:03:00.0'] });
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([['non-pci-group-member', 'sys/kernel/iommu_groups/10/devices/ff800000.gpu']]);
  });
});

describe('readTopology on hand-made trees', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vfmap-sysfs-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads a root with no sys/bus/pci/devices as an empty host with one warning', () => {
    const t = read();
    expect([t.pfs, t.devices, t.cards, t.iommuGroups]).toEqual([[], [], [], []]);
    expect(t.host.iommu.enabled).toBe(false);
    expect(t.warnings.map((w) => [w.code, w.path])).toEqual([['no-pci-devices', 'sys/bus/pci/devices']]);
  });

  it('sorts devices and group members numerically across domains of 4 and 5 digits (Hyper-V c4d2, VMD 10000)', () => {
    for (const address of ['10000:00:04.0', 'c4d2:00:02.0', '0000:00:01.0']) {
      writeFunction(root, { address, vendor: '8086', device: '0001', class: '010802', iommuGroup: 3 });
    }
    const t = read();
    const numeric = ['0000:00:01.0', 'c4d2:00:02.0', '10000:00:04.0'];
    expect(t.devices.map((d) => d.address)).toEqual(numeric);
    expect(t.iommuGroups).toEqual([{ id: 3, devices: numeric }]);
  });

  it('makes a card of the PFs on one slot of a five-digit domain, with vendor and device of its first PF', () => {
    for (const address of ['10000:01:00.1', '10000:01:00.0']) {
      writeFunction(root, {
        address,
        vendor: '15b3',
        device: '101b',
        class: '020000',
        numaNode: address.endsWith('1') ? 1 : 0,
        files: { sriov_totalvfs: '16', sriov_numvfs: '0' },
      });
    }
    const t = read();
    expect(t.cards).toEqual([
      { id: '10000:01:00', vendorId: '15b3', deviceId: '101b', vendorName: null, deviceName: null, numaNodes: [0, 1], pfs: ['10000:01:00.0', '10000:01:00.1'] },
    ]);
  });

  it('normalises ids written without 0x or in upper case, as sriov_vf_device is', () => {
    writeFunction(root, {
      address: '0000:3b:00.0',
      vendor: '15B3',
      device: '1017',
      class: '020000',
      files: { sriov_totalvfs: '8', sriov_numvfs: '0', sriov_vf_device: '1018', sriov_offset: '2', sriov_stride: '1', sriov_drivers_autoprobe: '1' },
    });
    writeFunction(root, {
      address: '0000:3c:00.0',
      vendor: '8086',
      device: '1572',
      class: '020000',
      files: { sriov_totalvfs: '64', sriov_numvfs: '0', sriov_vf_device: '154c' },
    });
    writeFunction(root, { address: '0000:3d:00.0', vendor: '1b36', device: '0010', class: '010802', files: { sriov_totalvfs: '8', sriov_numvfs: '0', sriov_vf_device: '10' } });
    const t = read();
    expect(t.pfs.map((p) => [p.vendorId, p.vfDeviceId])).toEqual([
      ['15b3', '1018'],
      ['8086', '154c'],
      ['1b36', '0010'],
    ]);
  });

  describe('host', () => {
    beforeEach(() => {
      writeFunction(root, { address: '0000:00:00.0', vendor: '8086', device: '29c0', class: '060000' });
    });

    it('takes hostname and kernel release from /proc, and the id from hostId when given', () => {
      writeRootFile(root, 'proc/sys/kernel/hostname', 'pve-07\n');
      writeRootFile(root, 'proc/sys/kernel/osrelease', '6.8.12-4-pve\n');
      writeRootFile(root, 'etc/hostname', 'not-this-one\n');
      expect(read().host).toMatchObject({ id: 'pve-07', hostname: 'pve-07', kernel: '6.8.12-4-pve' });
      expect(readTopology({ root, pciIds: null, hostId: 'rack3-pve07' }).host).toMatchObject({ id: 'rack3-pve07', hostname: 'pve-07' });
    });

    it('falls back to /etc/hostname when the kernel says "(none)"', () => {
      writeRootFile(root, 'proc/sys/kernel/hostname', '(none)\n');
      writeRootFile(root, 'etc/hostname', '# set by the installer\nvirt-host-2\n');
      expect(read().host).toMatchObject({ id: 'virt-host-2', hostname: 'virt-host-2', kernel: null });
    });
  });

  it('names vendors and devices from ROOT/usr/share/misc/pci.ids, before ROOT/usr/share/hwdata/pci.ids', () => {
    writeFunction(root, { address: '0000:05:00.0', vendor: '8086', device: '1521', class: '020000', files: { sriov_totalvfs: '7', sriov_numvfs: '0' } });
    writeFunction(root, { address: '0000:00:1f.0', vendor: '8086', device: '2918', class: '060100' });
    writeFunction(root, { address: '0000:00:1f.2', vendor: 'abcd', device: '0001', class: '010601' });
    writeRootFile(root, 'usr/share/misc/pci.ids', '8086  Intel Corporation\n\t1521  I350 Gigabit Network Connection\n\t2918  82801IB (ICH9) LPC Interface Controller\n');
    writeRootFile(root, 'usr/share/hwdata/pci.ids', '8086  Wrong file\n');
    const t = readTopology({ root });
    expect(t.pfs[0]).toMatchObject({ vendorName: 'Intel Corporation', deviceName: 'I350 Gigabit Network Connection' });
    expect(t.cards[0]).toMatchObject({ vendorName: 'Intel Corporation', deviceName: 'I350 Gigabit Network Connection' });
    expect(t.devices.map((d) => [d.address, d.vendorName, d.deviceName])).toEqual([
      ['0000:00:1f.0', 'Intel Corporation', '82801IB (ICH9) LPC Interface Controller'],
      ['0000:00:1f.2', null, null],
    ]);
    renameSync(join(root, 'usr/share/misc/pci.ids'), join(root, 'usr/share/misc/pci.ids.old'));
    expect(readTopology({ root }).pfs[0]!.vendorName).toBe('Wrong file');
  });
});

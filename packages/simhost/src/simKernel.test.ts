import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

const errorOf = (fn: () => void): NodeJS.ErrnoException => {
  try {
    fn();
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  throw new Error('expected the write to fail');
};

/** A fresh tree of `profile` per test: the kernel's writes change it. */
function fixture(profile: string) {
  let current: ReturnType<typeof tempRoot> | null = null;
  let root = '';
  beforeEach(() => {
    current?.remove();
    current = tempRoot();
    root = current.dir;
    generateHost(root, profiles[profile]!);
  });
  afterAll(() => current?.remove());
  return {
    get root() {
      return root;
    },
    dev: (address: string, name = '') => join(root, 'sys/bus/pci/devices', address, name),
    read: (address: string, name: string) => readFileSync(join(root, 'sys/bus/pci/devices', address, name), 'utf8'),
    has: (address: string, name = '') => existsSync(join(root, 'sys/bus/pci/devices', address, name)),
    link: (path: string) => readlinkSync(join(root, path)),
    virtfns: (address: string) => readdirSync(join(root, 'sys/bus/pci/devices', address)).filter((n) => /^virtfn\d+$/.test(n)).length,
  };
}

describe('createSimKernel on the minimal host (igb 82576, 2 of 7 VFs)', () => {
  const t = fixture('minimal');
  const PF = '0000:01:00.0';

  it('throws errors shaped like fs.writeFileSync’s: code, negative errno, syscall, path, libuv’s message', () => {
    const kernel = createSimKernel(t.root);
    const path = t.dev(PF, 'sriov_numvfs');
    const e = errorOf(() => kernel.writeAttribute(path, '3'));
    expect(e).toBeInstanceOf(Error);
    expect({ code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, message: e.message }).toEqual({
      code: 'EBUSY',
      errno: -16,
      syscall: 'write',
      path,
      message: 'EBUSY: resource busy or locked, write',
    });
    expect(errorOf(() => kernel.writeAttribute(path, '8'))).toMatchObject({ code: 'ERANGE', errno: -34, message: 'ERANGE: result too large, write' });
    expect(errorOf(() => kernel.writeAttribute(path, 'x'))).toMatchObject({ code: 'EINVAL', errno: -22, message: 'EINVAL: invalid argument, write' });
  });

  it('refuses with EACCES to create an attribute that does not exist, as sysfs refuses O_CREAT', () => {
    const kernel = createSimKernel(t.root);
    const path = join(t.root, 'sys/bus/pci/devices/0000:00:1f.0/sriov_numvfs');
    expect(errorOf(() => kernel.writeAttribute(path, '1'))).toMatchObject({ code: 'EACCES', errno: -13, syscall: 'open', path });
    expect(existsSync(path)).toBe(false);
  });

  it('refuses read-only attributes with EACCES, even for root', () => {
    const kernel = createSimKernel(t.root);
    expect(errorOf(() => kernel.writeAttribute(t.dev(PF, 'sriov_totalvfs'), '8'))).toMatchObject({ code: 'EACCES', syscall: 'open' });
    expect(t.read(PF, 'sriov_totalvfs')).toBe('7\n');
  });

  it('answers a different non-zero count with EBUSY and keeps the VFs; the same count is a no-op', () => {
    const kernel = createSimKernel(t.root);
    expect(errorOf(() => kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '3')).code).toBe('EBUSY');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '2\n');
    expect(t.read(PF, 'sriov_numvfs')).toBe('2\n');
    expect(t.virtfns(PF)).toBe(2);
  });

  it('treats an empty write as nothing at all, VFs enabled or not', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '');
    expect(t.read(PF, 'sriov_numvfs')).toBe('2\n');
  });

  it('creates VFs at offset 128 and stride 2 with every attribute, link and group, and binds igbvf with its netdev', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0x7');
    expect(t.read(PF, 'sriov_numvfs')).toBe('7\n');
    expect(t.link(`sys/bus/pci/devices/${PF}/virtfn6`)).toBe('../0000:01:11.4');
    const vf = '0000:01:11.4';
    expect(t.link(`sys/bus/pci/devices/${vf}`)).toBe('../../../devices/pci0000:00/0000:00:02.0/0000:01:11.4');
    expect(t.link(`sys/bus/pci/devices/${vf}/physfn`)).toBe('../0000:01:00.0');
    expect(t.read(vf, 'device')).toBe('0x10ca\n');
    expect(t.read(vf, 'driver_override')).toBe('(null)\n');
    expect(t.read(vf, 'numa_node')).toBe(t.read(PF, 'numa_node'));
    expect(t.link(`sys/bus/pci/devices/${vf}/driver`)).toBe('../../../../bus/pci/drivers/igbvf');
    expect(t.read(vf, 'net/enp1s0v6/operstate')).toBe('down\n');
    expect(t.link('sys/class/net/enp1s0v6')).toBe('../../devices/pci0000:00/0000:00:02.0/0000:01:11.4/net/enp1s0v6');
    const group = t.link(`sys/bus/pci/devices/${vf}/iommu_group`).split('/').pop()!;
    expect(readdirSync(join(t.root, 'sys/kernel/iommu_groups', group, 'devices'))).toEqual([vf]);
    expect(t.link(`sys/devices/virtual/iommu/dmar0/devices/${vf}`)).toBe('../../../../pci0000:00/0000:00:02.0/0000:01:11.4');
  });

  it('removes every trace of the VFs on 0: directories, links, groups, netdevs, driver links', () => {
    const kernel = createSimKernel(t.root);
    const group = t.link('sys/bus/pci/devices/0000:01:10.2/iommu_group').split('/').pop()!;
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    expect(t.read(PF, 'sriov_numvfs')).toBe('0\n');
    expect(t.virtfns(PF)).toBe(0);
    expect(readdirSync(join(t.root, 'sys/bus/pci/devices')).filter((a) => a.startsWith('0000:01:1'))).toEqual([]);
    expect(readdirSync(join(t.root, 'sys/devices/pci0000:00/0000:00:02.0')).filter((a) => a.startsWith('0000:01:1'))).toEqual([]);
    expect(existsSync(join(t.root, 'sys/kernel/iommu_groups', group))).toBe(false);
    expect(existsSync(join(t.root, 'sys/class/net/enp1s0v1'))).toBe(false);
    expect(readdirSync(join(t.root, 'sys/bus/pci/drivers/igbvf')).filter((n) => n.startsWith('0000:'))).toEqual([]);
    expect(readdirSync(join(t.root, 'sys/bus/pci/drivers/vfio-pci')).filter((n) => n.startsWith('0000:'))).toEqual([]);
    expect(readdirSync(join(t.root, 'sys/class/vfio-dev'))).toEqual([]);
  });

  it('hands out the lowest free IOMMU group numbers again after a disable, as ida_alloc does', () => {
    const kernel = createSimKernel(t.root);
    const groups = () => [0, 1].map((n) => Number(t.link(`sys/bus/pci/devices/${PF}/virtfn${n}/iommu_group`).split('/').pop()));
    const before = groups();
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '2');
    expect(groups()).toEqual(before);
  });

  it('answers ENOENT when no driver is bound to the PF, even for 0 — unless the count would not change', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/vfio-pci/unbind'), '0000:01:10.0');
    // igb's remove() disables SR-IOV itself ("unbinding igb from the PF while VFs exist": VFs gone).
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/igb/unbind'), PF);
    expect(t.read(PF, 'sriov_numvfs')).toBe('0\n');
    expect(t.has(PF, 'driver')).toBe(false);
    expect(t.has(PF, 'net')).toBe(false);
    expect(errorOf(() => kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '2'))).toMatchObject({ code: 'ENOENT', errno: -2 });
    // sriov_numvfs_store() checks "same count" before it looks for a driver.
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/igb/bind'), PF);
    expect(t.read(PF, 'net/enp1s0/address')).toBe('52:54:00:12:35:01\n');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '2');
    expect(t.virtfns(PF)).toBe(2);
  });

  it('leaves VFs unbound while sriov_drivers_autoprobe is 0, and binds one through driver_override + drivers_probe', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    expect(errorOf(() => kernel.writeAttribute(t.dev(PF, 'sriov_drivers_autoprobe'), 'maybe')).code).toBe('EINVAL');
    kernel.writeAttribute(t.dev(PF, 'sriov_drivers_autoprobe'), 'n');
    expect(t.read(PF, 'sriov_drivers_autoprobe')).toBe('0\n');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '3');
    expect(['0000:01:10.0', '0000:01:10.2', '0000:01:10.4'].map((vf) => t.has(vf, 'driver'))).toEqual([false, false, false]);
    const drivers = join(t.root, 'sys/bus/pci');
    expect(errorOf(() => kernel.writeAttribute(join(drivers, 'drivers/igbvf/bind'), '0000:01:10.2')).code).toBe('ENODEV');
    kernel.writeAttribute(t.dev('0000:01:10.2', 'driver_override'), 'igbvf\n');
    kernel.writeAttribute(join(drivers, 'drivers_probe'), '0000:01:10.2\n');
    expect(t.link('sys/bus/pci/devices/0000:01:10.2/driver')).toBe('../../../../bus/pci/drivers/igbvf');
    expect(t.read('0000:01:10.2', 'net/enp1s0v1/address')).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}\n$/);
    expect(errorOf(() => kernel.writeAttribute(join(drivers, 'drivers/igbvf/bind'), '0000:01:10.2')).code).toBe('EBUSY');
    expect(errorOf(() => kernel.writeAttribute(join(drivers, 'drivers/igbvf/unbind'), '0000:01:10.0')).code).toBe('ENODEV');
    expect(errorOf(() => kernel.writeAttribute(join(drivers, 'drivers_probe'), '0000:09:00.0')).code).toBe('ENODEV');
  });

  it('keeps a VF’s netdev name and MAC across unbind and bind', () => {
    const kernel = createSimKernel(t.root);
    const vf = '0000:01:10.2';
    const mac = t.read(vf, 'net/enp1s0v1/address');
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/igbvf/unbind'), vf);
    expect(t.has(vf, 'net')).toBe(false);
    expect(existsSync(join(t.root, 'sys/class/net/enp1s0v1'))).toBe(false);
    expect(t.read(vf, 'uevent').startsWith('DRIVER=')).toBe(false);
    expect(t.read(vf, 'enable')).toBe('0\n');
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/igbvf/bind'), vf);
    expect(t.read(vf, 'net/enp1s0v1/address')).toBe(mac);
    expect(t.read(vf, 'uevent').startsWith('DRIVER=igbvf\n')).toBe(true);
    expect(Number(t.read(vf, 'net/enp1s0v1/ifindex'))).toBeGreaterThan(0);
  });

  it('stores driver_override up to the first newline and clears it with "\\n"; refuses a page of text', () => {
    const kernel = createSimKernel(t.root);
    const path = t.dev('0000:01:10.2', 'driver_override');
    kernel.writeAttribute(path, 'vfio-pci\nignored');
    expect(readFileSync(path, 'utf8')).toBe('vfio-pci\n');
    kernel.writeAttribute(path, '\n');
    expect(readFileSync(path, 'utf8')).toBe('(null)\n');
    expect(errorOf(() => kernel.writeAttribute(path, 'x'.repeat(4095))).code).toBe('EINVAL');
  });

  it('writes other attributes as they come, keeps nothing of write-only ones, and leaves paths outside sys/ to the filesystem', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'numa_node'), '0');
    expect(t.read(PF, 'numa_node')).toBe('0');
    kernel.writeAttribute(t.dev(PF, 'remove'), '1');
    expect(t.read(PF, 'remove')).toBe('');
    const outside = join(t.root, 'var/lib/vfmap-sim/note.txt');
    kernel.writeAttribute(outside, 'hello');
    expect(readFileSync(outside, 'utf8')).toBe('hello');
  });

  it('separates a VF from its siblings when one of its attributes is written (no shared inode leaks)', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '4');
    kernel.writeAttribute(t.dev('0000:01:10.2', 'broken_parity_status'), '1');
    expect(t.read('0000:01:10.2', 'broken_parity_status')).toBe('1');
    expect(t.read('0000:01:10.4', 'broken_parity_status')).toBe('0\n');
  });
});

describe('createSimKernel on the demo host', () => {
  const t = fixture('demo');
  const E810_P1 = '0000:18:00.1';

  it('spills VFs onto the next bus number, with its pci_bus entry, and takes both away on 0', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev('0000:18:11.0', 'driver_override'), '\n');
    kernel.writeAttribute(t.dev(E810_P1, 'sriov_numvfs'), '0');
    kernel.writeAttribute(t.dev(E810_P1, 'sriov_numvfs'), '128');
    expect(t.link(`sys/bus/pci/devices/${E810_P1}/virtfn119`)).toBe('../0000:18:1f.7');
    expect(t.link(`sys/bus/pci/devices/${E810_P1}/virtfn120`)).toBe('../0000:19:00.0');
    expect(t.link(`sys/bus/pci/devices/${E810_P1}/virtfn127`)).toBe('../0000:19:00.7');
    expect(t.link('sys/bus/pci/devices/0000:19:00.7')).toBe('../../../devices/pci0000:17/0000:17:00.0/0000:19:00.7');
    expect(t.link('sys/class/pci_bus/0000:19')).toBe('../../devices/pci0000:17/0000:17:00.0/pci_bus/0000:19');
    expect(t.read('0000:19:00.7', 'net/ens1f1v127/operstate')).toBe('down\n');
    kernel.writeAttribute(t.dev(E810_P1, 'sriov_numvfs'), '0');
    expect(existsSync(join(t.root, 'sys/devices/pci0000:17/0000:17:00.0/pci_bus/0000:19'))).toBe(false);
    expect(existsSync(join(t.root, 'sys/class/pci_bus/0000:19'))).toBe(false);
    expect(existsSync(join(t.root, 'sys/devices/pci0000:17/0000:17:00.0/pci_bus/0000:18'))).toBe(true);
  });

  it('refuses with ENOMEM a count whose last VF lies past the bridge’s subordinate bus, as when firmware reserved too few buses', () => {
    // Firmware that reserved no bus for VFs: the root port's range ends at the card's own bus 18,
    // so port 1's VFs 0–119 (18:11.0–18:1f.7) fit and VF 120 (19:00.0) does not.
    writeFileSync(join(t.root, 'sys/bus/pci/devices/0000:17:00.0/subordinate_bus_number'), `${0x18}\n`);
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev('0000:18:11.0', 'driver_override'), '\n');
    kernel.writeAttribute(t.dev(E810_P1, 'sriov_numvfs'), '0');
    expect(errorOf(() => kernel.writeAttribute(t.dev(E810_P1, 'sriov_numvfs'), '121'))).toMatchObject({ code: 'ENOMEM', errno: -12 });
    expect(t.read(E810_P1, 'sriov_numvfs')).toBe('0\n');
    expect(t.virtfns(E810_P1)).toBe(0);
    kernel.writeAttribute(t.dev(E810_P1, 'sriov_numvfs'), '120');
    expect(t.link(`sys/bus/pci/devices/${E810_P1}/virtfn119`)).toBe('../0000:18:1f.7');
  });

  it('takes the VFs away with the PF driver, bound ones included, when ice is unbound', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/ice/unbind'), '0000:18:00.0');
    expect(t.read('0000:18:00.0', 'sriov_numvfs')).toBe('0\n');
    expect(t.has('0000:18:01.0')).toBe(false);
    expect(existsSync(join(t.root, 'sys/class/net/ens1f0'))).toBe(false);
    expect(existsSync(join(t.root, 'sys/class/net/ens1f0v3'))).toBe(false);
  });

  it('refuses sriov_numvfs with ENOENT when the bound driver has no sriov_configure', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers/i40e/unbind'), '0000:3b:00.1');
    kernel.writeAttribute(t.dev('0000:3b:00.1', 'driver_override'), 'vfio-pci');
    kernel.writeAttribute(join(t.root, 'sys/bus/pci/drivers_probe'), '0000:3b:00.1');
    expect(t.link('sys/bus/pci/devices/0000:3b:00.1/driver')).toBe('../../../../bus/pci/drivers/vfio-pci');
    expect(errorOf(() => createSimKernel(t.root).writeAttribute(t.dev('0000:3b:00.1', 'sriov_numvfs'), '1')).code).toBe('ENOENT');
  });
});

describe('createSimKernel on the edge-cases host', () => {
  const t = fixture('edge-cases');
  const NVME0 = '0000:01:00.0';
  const IGB = '0000:03:00.0';
  const group = (address: string) => t.link(`sys/bus/pci/devices/${address}/iommu_group`).split('/').pop();

  it('boots with nvme unbound from both PFs, the VFs it left behind still there, one on vfio-pci', () => {
    expect(t.has(NVME0, 'driver')).toBe(false);
    expect(t.has('0000:02:00.0', 'driver')).toBe(false);
    expect(t.read(NVME0, 'sriov_numvfs')).toBe('4\n');
    expect(t.virtfns(NVME0)).toBe(4);
    expect(t.link(`sys/bus/pci/devices/0000:01:00.1/driver`)).toBe('../../../../bus/pci/drivers/vfio-pci');
    expect(errorOf(() => createSimKernel(t.root).writeAttribute(t.dev(NVME0, 'sriov_numvfs'), '0')).code).toBe('ENOENT');
  });

  it('puts the VFs of a PF without ACS in the PF’s IOMMU group, again after the count changes', () => {
    expect(['0000:03:10.0', '0000:03:10.2', '0000:03:10.4'].map(group)).toEqual(Array(3).fill(group(IGB)));
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(IGB, 'sriov_numvfs'), '0');
    expect(readdirSync(join(t.root, 'sys/kernel/iommu_groups', group(IGB)!, 'devices'))).toEqual([IGB]);
    kernel.writeAttribute(t.dev(IGB, 'sriov_numvfs'), '2');
    expect(readdirSync(join(t.root, 'sys/kernel/iommu_groups', group(IGB)!, 'devices')).sort()).toEqual([IGB, '0000:03:10.0', '0000:03:10.2']);
  });
});

describe('createSimKernel on the bus-end host (a single-port E810 on bus ff)', () => {
  // 256 VFs at offset 8, stride 1: VF 247 lands on routing id 0xffff (ff:1f.7); VF 248 would need
  // bus 0x100, which no bus has.
  const t = fixture('bus-end');
  const PF = '0000:ff:00.0';

  it('enables the VFs up to the last one on bus ff', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '248');
    expect(t.link(`sys/bus/pci/devices/${PF}/virtfn247`)).toBe('../0000:ff:1f.7');
    expect(t.read(PF, 'sriov_numvfs')).toBe('248\n');
  });

  it('refuses with ENOMEM, as sriov_enable does, a count that needs a VF past bus ff, and makes none', () => {
    const kernel = createSimKernel(t.root);
    kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '0');
    expect(errorOf(() => kernel.writeAttribute(t.dev(PF, 'sriov_numvfs'), '249'))).toMatchObject({ code: 'ENOMEM', errno: -12, syscall: 'write' });
    expect(t.read(PF, 'sriov_numvfs')).toBe('0\n');
    expect(t.virtfns(PF)).toBe(0);
  });
});

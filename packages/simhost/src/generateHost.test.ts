import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PCI_IDS_LOCATIONS, SIMULATED_HYPERVISOR_STATE_PATH, SimulatedHypervisorState } from '@vfmap/model';
import { itNeeds, pciIds } from '../../../test/needs';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { tempRoot } from './tempRoot';

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const dev = (address: string, name = '') => `sys/bus/pci/devices/${address}${name ? `/${name}` : ''}`;
const link = (root: string, path: string) => readlinkSync(join(root, path));

describe('generateHost(demo)', () => {
  const tmp = tempRoot();
  const root = tmp.dir;
  beforeAll(() => {
    generateHost(root, profiles.demo!);
  });
  afterAll(() => tmp.remove());

  it('nests functions under their root ports and links them from sys/bus/pci/devices with the kernel’s relative targets', () => {
    expect(link(root, dev('0000:18:00.0'))).toBe('../../../devices/pci0000:17/0000:17:00.0/0000:18:00.0');
    expect(link(root, dev('0000:17:00.0'))).toBe('../../../devices/pci0000:17/0000:17:00.0');
    expect(link(root, dev('0000:03:00.0'))).toBe('../../../devices/pci0000:00/0000:00:1c.5/0000:02:00.0/0000:03:00.0');
    expect(statSync(join(root, dev('0000:03:00.0'))).isDirectory()).toBe(true);
    // The port services of pcieport sit beside the children: readers must skip them.
    expect(readdirSync(join(root, 'sys/devices/pci0000:17/0000:17:00.0'))).toContain('0000:17:00.0:pcie001');
  });

  it('writes attributes exactly as the kernel prints them, newline included', () => {
    expect(read(root, dev('0000:18:00.0', 'vendor'))).toBe('0x8086\n');
    expect(read(root, dev('0000:18:00.0', 'device'))).toBe('0x1592\n');
    expect(read(root, dev('0000:18:00.0', 'class'))).toBe('0x020000\n');
    expect(read(root, dev('0000:18:00.0', 'revision'))).toBe('0x02\n');
    expect(read(root, dev('0000:18:00.0', 'subsystem_device'))).toBe('0x0002\n');
    expect(read(root, dev('0000:18:00.0', 'driver_override'))).toBe('(null)\n');
    expect(read(root, dev('0000:18:00.0', 'numa_node'))).toBe('0\n');
    expect(read(root, dev('0000:86:00.0', 'numa_node'))).toBe('1\n');
    expect(read(root, dev('0000:18:00.0', 'local_cpulist'))).toBe('0-19,40-59\n');
    expect(read(root, dev('0000:18:00.0', 'local_cpus'))).toBe('0000,0fffff00,000fffff\n');
    expect(read(root, dev('0000:18:00.0', 'sriov_vf_device'))).toBe('1889\n');
    expect(read(root, dev('0000:18:00.0', 'sriov_totalvfs'))).toBe('128\n');
    expect(read(root, dev('0000:18:00.0', 'sriov_offset'))).toBe('8\n');
    expect(read(root, dev('0000:18:00.1', 'sriov_offset'))).toBe('135\n');
    expect(read(root, dev('0000:86:00.0', 'sriov_totalvfs'))).toBe('63\n');
    expect(read(root, dev('0000:86:00.0', 'sriov_stride'))).toBe('2\n');
    expect(read(root, dev('0000:18:01.0', 'device'))).toBe('0x1889\n');
    expect(read(root, dev('0000:18:00.0', 'modalias'))).toBe('pci:v00008086d00001592sv00008086sd00000002bc02sc00i00\n');
    expect(read(root, dev('0000:17:00.0', 'secondary_bus_number'))).toBe('24\n');
  });

  it('links drivers both ways and gives each loaded driver its directory', () => {
    expect(link(root, dev('0000:18:00.0', 'driver'))).toBe('../../../../bus/pci/drivers/ice');
    expect(link(root, dev('0000:00:17.0', 'driver'))).toBe('../../../bus/pci/drivers/ahci');
    expect(link(root, 'sys/bus/pci/drivers/ice/0000:18:00.0')).toBe('../../../../devices/pci0000:17/0000:17:00.0/0000:18:00.0');
    expect(readdirSync(join(root, 'sys/bus/pci/drivers/iavf'))).toEqual(expect.arrayContaining(['bind', 'unbind', 'new_id', 'remove_id', 'module']));
    expect(existsSync(join(root, 'sys/bus/pci/drivers/iavf/module/drivers/pci:iavf'))).toBe(true);
    expect(existsSync(join(root, dev('0000:00:1f.2', 'driver')))).toBe(false);
  });

  it('puts functions in IOMMU groups, isolated or shared, and lists each group’s members', () => {
    const group = (address: string) => Number(link(root, dev(address, 'iommu_group')).split('/').pop());
    expect(link(root, dev('0000:18:00.0', 'iommu_group'))).toMatch(/^\.\.\/\.\.\/\.\.\/\.\.\/kernel\/iommu_groups\/\d+$/);
    expect(link(root, dev('0000:00:17.0', 'iommu_group'))).toMatch(/^\.\.\/\.\.\/\.\.\/kernel\/iommu_groups\/\d+$/);
    const members = (g: number) => readdirSync(join(root, `sys/kernel/iommu_groups/${g}/devices`)).sort();
    expect(members(group('0000:00:1f.0'))).toEqual(['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.4', '0000:00:1f.5']);
    expect(members(group('0000:86:00.0'))).toEqual(['0000:86:00.0', '0000:86:00.1']);
    expect(members(group('0000:03:00.0'))).toEqual(['0000:02:00.0', '0000:03:00.0']);
    expect(members(group('0000:18:00.0'))).toEqual(['0000:18:00.0']);
    expect(members(group('0000:86:10.0'))).toEqual(['0000:86:10.0']);
    expect(group('0000:00:00.0')).toBe(0);
    expect(realpathSync(join(root, `sys/kernel/iommu_groups/${group('0000:18:00.1')}/devices/0000:18:00.1`))).toBe(
      realpathSync(join(root, dev('0000:18:00.1'))),
    );
    expect(read(root, `sys/kernel/iommu_groups/${group('0000:18:00.1')}/type`)).toBe('identity\n');
    expect(link(root, dev('0000:18:00.0', 'iommu'))).toBe('../../../virtual/iommu/dmar0');
  });

  it('links VFs and PFs with virtfnN and physfn, at the addresses offset and stride give', () => {
    expect(read(root, dev('0000:18:00.0', 'sriov_numvfs'))).toBe('16\n');
    expect(link(root, dev('0000:18:00.0', 'virtfn0'))).toBe('../0000:18:01.0');
    expect(link(root, dev('0000:18:00.0', 'virtfn15'))).toBe('../0000:18:02.7');
    expect(link(root, dev('0000:18:00.1', 'virtfn0'))).toBe('../0000:18:11.0');
    expect(link(root, dev('0000:86:00.1', 'virtfn1'))).toBe('../0000:86:10.3');
    expect(link(root, dev('0000:86:10.3', 'physfn'))).toBe('../0000:86:00.1');
    expect(link(root, dev('0000:18:01.0'))).toBe('../../../devices/pci0000:17/0000:17:00.0/0000:18:01.0');
    expect(read(root, dev('0000:3b:00.1', 'sriov_numvfs'))).toBe('0\n');
    expect(readdirSync(join(root, dev('0000:3b:00.1'))).filter((n) => n.startsWith('virtfn'))).toEqual([]);
  });

  it('gives net interfaces udev’s names and links them from sys/class/net', () => {
    expect(read(root, dev('0000:18:00.0', 'net/ens1f0/address'))).toBe('b4:96:91:a5:7c:20\n');
    expect(read(root, dev('0000:18:00.1', 'net/ens1f1/address'))).toBe('b4:96:91:a5:7c:21\n');
    expect(read(root, dev('0000:18:00.0', 'net/ens1f0/operstate'))).toBe('up\n');
    expect(read(root, dev('0000:18:00.0', 'net/ens1f0/speed'))).toBe('100000\n');
    expect(read(root, dev('0000:af:00.0', 'net/ens5f0np0/phys_port_name'))).toBe('p0\n');
    expect(link(root, 'sys/class/net/ens1f0')).toBe('../../devices/pci0000:17/0000:17:00.0/0000:18:00.0/net/ens1f0');
    expect(read(root, dev('0000:18:01.3', 'net/ens1f0v3/operstate'))).toBe('down\n');
    // A down interface cannot report a speed (EINVAL): the file is there and empty, as in snapshots.
    expect(read(root, dev('0000:18:01.3', 'net/ens1f0v3/speed'))).toBe('');
    expect(read(root, dev('0000:01:00.0', 'net/eno1/address'))).toBe('ac:1f:6b:4e:20:10\n');
    expect(read(root, 'sys/class/net/lo/ifindex')).toBe('1\n');
  });

  it('binds the VFs of running VMs to vfio-pci through driver_override and leaves a stopped VM’s VF on its host driver', () => {
    expect(link(root, dev('0000:18:01.0', 'driver'))).toBe('../../../../bus/pci/drivers/vfio-pci');
    expect(read(root, dev('0000:18:01.0', 'driver_override'))).toBe('vfio-pci\n');
    expect(readdirSync(join(root, dev('0000:18:01.0', 'vfio-dev')))).toHaveLength(1);
    expect(existsSync(join(root, dev('0000:18:01.0', 'net')))).toBe(false);
    expect(link(root, dev('0000:d8:00.0', 'driver'))).toBe('../../../../bus/pci/drivers/vfio-pci');
    expect(link(root, dev('0000:18:11.0', 'driver'))).toBe('../../../../bus/pci/drivers/iavf');
    // hostpci2 of VM 102 is pending: the VF stays with iavf until the VM restarts.
    expect(link(root, dev('0000:3b:02.1', 'driver'))).toBe('../../../../bus/pci/drivers/iavf');
    expect(link(root, dev('0000:86:10.0', 'driver'))).toBe('../../../../bus/pci/drivers/vfio-pci');
  });

  it('leaves the VFs of a PF with sriov_drivers_autoprobe 0 unbound', () => {
    expect(read(root, dev('0000:af:00.1', 'sriov_drivers_autoprobe'))).toBe('0\n');
    expect(existsSync(join(root, dev('0000:af:02.2', 'driver')))).toBe(false);
    expect(read(root, dev('0000:af:02.2', 'enable'))).toBe('0\n');
    expect(link(root, dev('0000:af:00.2', 'driver'))).toBe('../../../../bus/pci/drivers/vfio-pci');
    expect(link(root, dev('0000:af:00.5', 'driver'))).toBe('../../../../bus/pci/drivers/mlx5_core');
  });

  it('writes a 64-byte config header per function: ids, class, header type and bridge bus numbers', () => {
    const pf = readFileSync(join(root, dev('0000:18:00.0', 'config')));
    expect(pf).toHaveLength(64);
    expect(pf.readUInt16LE(0)).toBe(0x8086);
    expect(pf.readUInt16LE(2)).toBe(0x1592);
    expect(pf.readUIntLE(9, 3)).toBe(0x020000);
    expect(pf.readUInt8(0x0e)).toBe(0x80); // type 0, multifunction (two ports)
    expect(pf.readUInt16LE(0x2c)).toBe(0x8086);
    expect(pf.readUInt16LE(0x2e)).toBe(0x0002);
    const rootPort = readFileSync(join(root, dev('0000:17:00.0', 'config')));
    expect(rootPort.readUInt8(0x0e)).toBe(0x01);
    expect([rootPort.readUInt8(0x18), rootPort.readUInt8(0x19), rootPort.readUInt8(0x1a)]).toEqual([0x17, 0x18, 0x19]);
    // A VF's Vendor and Device ID registers read ffff; sysfs names it from the PF.
    expect(readFileSync(join(root, dev('0000:18:01.0', 'config'))).readUInt32LE(0)).toBe(0xffffffff);
  });

  itNeeds([pciIds], 'writes hostname, kernel release and the real pci.ids lines of its devices', () => {
    expect(read(root, 'proc/sys/kernel/hostname')).toBe('hv-demo-01\n');
    expect(read(root, 'proc/sys/kernel/osrelease')).toBe('6.1.0-28-amd64\n');
    const ids = read(root, PCI_IDS_LOCATIONS[0]!).split('\n');
    expect(ids).toContain('8086  Intel Corporation');
    expect(ids).toContain('\t1592  Ethernet Controller E810-C for QSFP');
    expect(ids).toContain('\t\t8086 0002  Ethernet Network Adapter E810-C-Q2');
    expect(ids).toContain('\t1889  Ethernet Adaptive Virtual Function');
    expect(ids).toContain('\t101e  ConnectX Family mlx5Gen Virtual Function');
    expect(ids).toContain('C 02  Network controller');
    expect(ids).toContain('\t00  Ethernet controller');
    expect(ids).not.toContain('\t1521  I350 Gigabit Network Connection');
  });

  it('writes the simulated hypervisor’s VMs: running and stopped, holding VFs, each PF with a free VF', () => {
    const state = SimulatedHypervisorState.parse(JSON.parse(read(root, SIMULATED_HYPERVISOR_STATE_PATH)));
    expect(state.vms).toHaveLength(6);
    expect(new Set(state.vms.map((v) => v.state))).toEqual(new Set(['running', 'stopped', 'paused']));
    expect(state.vms.find((v) => v.id === '101')?.hostdevs[0]).toEqual({ address: '0000:18:01.0', via: 'hostpci0', pending: false });
    const held = new Set(state.vms.flatMap((v) => v.hostdevs.map((h) => h.address)));
    for (const pf of ['0000:18:00.0', '0000:18:00.1', '0000:3b:00.0', '0000:86:00.0', '0000:86:00.1', '0000:af:00.0', '0000:af:00.1']) {
      const vfs = readdirSync(join(root, dev(pf))).filter((n) => n.startsWith('virtfn'));
      expect(vfs.some((v) => !held.has(link(root, dev(pf, v)).slice(3)))).toBe(true);
    }
  });

  it('keeps the simulated kernel’s notes outside sys/', () => {
    expect(existsSync(join(root, 'var/lib/vfmap-sim/kernel.json'))).toBe(true);
    expect(readdirSync(join(root, 'sys'))).toEqual(expect.arrayContaining(['bus', 'class', 'devices', 'kernel', 'module']));
    expect(readdirSync(join(root, 'sys')).sort()).toEqual(['bus', 'class', 'devices', 'kernel', 'module']);
  });
});

describe('generateHost', () => {
  it('refuses a directory that is not empty', () => {
    const tmp = tempRoot();
    try {
      generateHost(tmp.dir, profiles.minimal!);
      expect(() => generateHost(tmp.dir, profiles.minimal!)).toThrow(/not empty/);
    } finally {
      tmp.remove();
    }
  });

  it('makes no IOMMU group and no iommu links when the IOMMU is off, but keeps the empty groups directory', () => {
    const tmp = tempRoot();
    try {
      generateHost(tmp.dir, profiles['iommu-off']!);
      expect(readdirSync(join(tmp.dir, 'sys/kernel/iommu_groups'))).toEqual([]);
      expect(existsSync(join(tmp.dir, dev('0000:18:00.0', 'iommu_group')))).toBe(false);
      expect(existsSync(join(tmp.dir, dev('0000:18:02.0', 'iommu_group')))).toBe(false);
      expect(read(tmp.dir, dev('0000:18:00.0', 'sriov_numvfs'))).toBe('4\n');
    } finally {
      tmp.remove();
    }
  });

  it('names devices from a built-in list when the machine has no pci.ids', () => {
    const tmp = tempRoot();
    try {
      generateHost(tmp.dir, profiles.minimal!, { pciIdsSource: join(tmp.dir, 'absent.ids') });
      const ids = read(tmp.dir, PCI_IDS_LOCATIONS[0]!).split('\n');
      expect(ids).toContain('8086  Intel Corporation');
      expect(ids).toContain('\t10ca  82576 Virtual Function');
    } finally {
      tmp.remove();
    }
  });

  it('reads -1 for numa_node where the firmware gives none, and kernel names (ethN) where no udev renames', () => {
    const tmp = tempRoot();
    try {
      generateHost(tmp.dir, profiles['qemu-q35']!);
      expect(read(tmp.dir, dev('0000:01:00.0', 'numa_node'))).toBe('-1\n');
      expect(read(tmp.dir, dev('0000:01:00.0', 'sriov_vf_device'))).toBe('10\n');
      expect(read(tmp.dir, dev('0000:03:00.0', 'net/eth0/name_assign_type'))).toBe('1\n');
    } finally {
      tmp.remove();
    }
  });
});

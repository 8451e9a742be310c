import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { driverTraits } from './driverCatalog';
import { attr, dir, file, link, powerEntries, RO, RW, WO, type Entry } from './entries';
import type { HostProfile } from './hostProfile';
import { netdevEntries } from './netdevEntries';
import type { SimPaths } from './simPaths';
import { linkTargets } from './sysfsLinks';
import { cpulist, cpumask, parseCpulist } from './sysfsText';
import { writeEntries } from './writeEntries';

/**
 * The parts of sys/ that are not PCI functions: the pci bus and its drivers, the classes, the
 * IOMMU groups' directory (it exists even with the IOMMU off, empty), the translation units,
 * NUMA nodes, modules and the loopback interface.
 */
export function writeSkeleton(paths: SimPaths, profile: HostProfile, drivers: readonly string[]): void {
  for (const d of [
    paths.busPciDevices,
    paths.busPciDrivers,
    paths.busPciSlots,
    paths.iommuGroups,
    paths.classNet,
    paths.classPciBus,
    paths.classIommu,
    paths.classNvme,
    paths.classVfioDev,
    paths.virtualNet,
    paths.module,
    paths.nodes,
    join(paths.sys, 'bus', 'pci_express', 'devices'),
  ]) {
    mkdirSync(d, { recursive: true });
  }
  writeEntries(paths.busPci, [
    attr('drivers_autoprobe', RW, 1),
    file('drivers_probe', WO, ''),
    file('rescan', WO, ''),
    file('resource_alignment', RW, ''),
    file('uevent', WO, ''),
  ]);

  for (const name of drivers) {
    const { module } = driverTraits(name);
    const driverDir = join(paths.busPciDrivers, name);
    mkdirSync(driverDir);
    writeEntries(driverDir, [
      file('bind', WO, ''),
      link('module', linkTargets.driverModule(module)),
      file('new_id', WO, ''),
      file('remove_id', WO, ''),
      file('uevent', WO, ''),
      file('unbind', WO, ''),
    ]);
    const moduleDir = join(paths.module, module);
    mkdirSync(join(moduleDir, 'drivers'), { recursive: true });
    writeEntries(moduleDir, [
      link(`drivers/pci:${name}`, linkTargets.moduleDriver(name)),
      attr('initstate', RO, 'live'),
      attr('refcnt', RO, 0),
      file('uevent', WO, ''),
    ]);
  }

  if (profile.iommu.enabled) {
    const units = [...new Set(profile.rootBuses.map((r) => r.iommuUnit))];
    units.forEach((unit, i) => {
      const unitDir = join(paths.virtualIommu, unit);
      mkdirSync(unitDir, { recursive: true });
      writeEntries(unitDir, [
        dir('devices'),
        dir('intel-iommu'),
        attr('intel-iommu/address', RO, (0xfbffc000 - i * 0x2000).toString(16)),
        attr('intel-iommu/cap', RO, 'd2008c40660462'),
        attr('intel-iommu/ecap', RO, 'f050da'),
        attr('intel-iommu/domains_supported', RO, 65536),
        attr('intel-iommu/domains_used', RO, 1),
        attr('intel-iommu/version', RO, '1:0'),
        ...powerEntries('', { wakeup: false, activeTime: 0, usage: 0 }),
        link('subsystem', '../../../../class/iommu'),
        file('uevent', RW, ''),
      ]);
      writeEntries(paths.classIommu, [link(unit, `../../devices/virtual/iommu/${unit}`)]);
    });
  }

  const nodeIds = profile.cpus.nodes.map((n) => n.id);
  const nodeList = cpulist(nodeIds);
  writeEntries(paths.nodes, [
    attr('has_cpu', RO, nodeList),
    attr('has_memory', RO, nodeList),
    attr('has_normal_memory', RO, nodeList),
    attr('online', RO, nodeList),
    attr('possible', RO, nodeList),
    ...profile.cpus.nodes.flatMap((n): Entry[] => {
      const cpus = parseCpulist(n.cpulist);
      return [
        dir(`node${n.id}`),
        attr(`node${n.id}/cpulist`, RO, cpulist(cpus)),
        attr(`node${n.id}/cpumap`, RO, cpumask(cpus, profile.cpus.count)),
        attr(`node${n.id}/distance`, RO, nodeIds.map((m) => (m === n.id ? 10 : 21)).join(' ')),
      ];
    }),
  ]);

  // lo: ifindex 1, the first netdev the kernel registers.
  const lo = netdevEntries('virtual', {
    name: 'lo',
    mac: '00:00:00:00:00:00',
    operState: 'unknown',
    speedMbps: null,
    mtu: 65536,
    ifindex: 1,
    addrAssignType: 0,
    nameAssignType: 1,
    cpumaskZero: cpumask([], profile.cpus.count),
    queues: 1,
  })
    .filter((e) => e.path !== 'net/lo/device' && e.path !== 'net/lo/type' && e.path !== 'net/lo/flags')
    .map((e) => (e.kind === 'link' && e.path === 'net/lo/subsystem' ? link(e.path, '../../../../class/net') : e));
  writeEntries(join(paths.sysDevices, 'virtual'), [...lo, attr('net/lo/type', RO, 772), attr('net/lo/flags', RW, '0x9')]);
  writeEntries(paths.classNet, [link('lo', '../../devices/virtual/net/lo')]);
}

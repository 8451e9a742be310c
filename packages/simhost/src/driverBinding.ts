import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PciAddress } from '@vfmap/model';
import { driverCatalog, driverMatchesIds, driverTraits, type DriverTraits } from './driverCatalog';
import { attr, dir, file, link, powerEntries, RO, RW, type Entry } from './entries';
import type { NetdevState } from './kernelState';
import { netdevEntries } from './netdevEntries';
import type { DeviceHandle, SimTree } from './simTree';
import { linkTargets } from './sysfsLinks';
import { cpumask } from './sysfsText';
import { vfMac } from './vfMac';
import { writeEntries } from './writeEntries';

export function boundDriver(tree: SimTree, dev: DeviceHandle): string | null {
  return tree.readLinkName(dev, 'driver');
}

export function driverOverride(tree: SimTree, dev: DeviceHandle): string | null {
  const v = tree.readAttr(dev, 'driver_override');
  return v === null || v === '(null)' ? null : v;
}

const hexAttr = (tree: SimTree, dev: DeviceHandle, name: string): number => Number.parseInt(tree.readAttr(dev, name) ?? '', 16);

/** The VF's PF, from its physfn link; null for anything but a VF. */
export function physfnOf(dev: DeviceHandle): PciAddress | null {
  try {
    return readlinkSync(join(dev.dir, 'physfn')).replace(/^\.\.\//, '') as PciAddress;
  } catch {
    return null;
  }
}

/** N of the PF's virtfnN link that points at this VF. */
export function vfIndexOf(tree: SimTree, vf: DeviceHandle, pf: PciAddress): number | null {
  const pfDev = tree.device(pf);
  if (!pfDev) return null;
  for (const name of readdirSync(pfDev.dir)) {
    if (!name.startsWith('virtfn')) continue;
    if (readlinkSync(join(pfDev.dir, name)) === `../${vf.address}`) return Number(name.slice('virtfn'.length));
  }
  return null;
}

/**
 * pci_match_device(): with driver_override set, only the driver of that name matches (and it
 * matches whatever its id table says); without, the static id table decides.
 */
export function driverMatches(tree: SimTree, dev: DeviceHandle, driver: DriverTraits): boolean {
  const override = driverOverride(tree, dev);
  if (override !== null) return override === driver.name;
  return driverMatchesIds(driver, hexAttr(tree, dev, 'vendor'), hexAttr(tree, dev, 'device'), hexAttr(tree, dev, 'class'));
}

/**
 * pci_device_can_probe(): a VF is probed only while its PF's sriov_drivers_autoprobe is 1 or
 * it has a driver_override (probe.txt: binding through drivers/nvme/bind with autoprobe 0 → ENODEV).
 */
export function canProbe(tree: SimTree, dev: DeviceHandle): boolean {
  const pf = physfnOf(dev);
  if (pf === null) return true;
  const pfDev = tree.device(pf);
  const autoprobe = pfDev ? tree.readAttr(pfDev, 'sriov_drivers_autoprobe') === '1' : false;
  return autoprobe || driverOverride(tree, dev) !== null;
}

/** device_attach(): the first loaded driver that matches and may probe binds it. */
export function deviceAttach(tree: SimTree, dev: DeviceHandle, vfIndex?: number): string | null {
  const current = boundDriver(tree, dev);
  if (current !== null) return current;
  if (!canProbe(tree, dev)) return null;
  for (const name of tree.state.drivers) {
    const driver = driverCatalog.get(name);
    if (driver && driverMatches(tree, dev, driver)) {
      attachDriver(tree, dev, name, vfIndex);
      return name;
    }
  }
  return null;
}

const lowestFree = (dirPath: string, prefix: string): number => {
  const used = new Set<number>();
  if (existsSync(dirPath)) for (const n of readdirSync(dirPath)) if (n.startsWith(prefix)) used.add(Number(n.slice(prefix.length)));
  let i = 0;
  while (used.has(i)) i++;
  return i;
};

/** Binds `driverName` to the function with everything probe() leaves behind. */
export function attachDriver(tree: SimTree, dev: DeviceHandle, driverName: string, vfIndex?: number): void {
  const driver = driverTraits(driverName);
  const { paths } = tree;
  tree.symlink(linkTargets.driver(dev.devPath, driver.name), join(dev.dir, 'driver'));
  tree.symlink(linkTargets.driverDevice(dev.devPath), join(paths.busPciDrivers, driver.name, dev.address));

  const uevent = tree.readAttr(dev, 'uevent') ?? '';
  tree.writeAttr(join(dev.dir, 'uevent'), `DRIVER=${driver.name}\n${uevent.split('\n').filter((l) => l !== '' && !l.startsWith('DRIVER=')).join('\n')}\n`, RW);
  if (driver.enablesDevice) tree.writeAttr(join(dev.dir, 'enable'), '1\n', RW);
  tree.writeAttr(join(dev.dir, 'dma_mask_bits'), `${driver.dmaBits}\n`, RO);
  tree.writeAttr(join(dev.dir, 'consistent_dma_mask_bits'), `${driver.dmaBits}\n`, RO);

  const pf = physfnOf(dev);
  const pfState = pf ? tree.state.pfs[pf] : undefined;
  const vectors = pfState && driver.netdev ? pfState.vfMsixVectors : driver.msiVectors;
  if (vectors > 0) {
    const entries: Entry[] = [dir('msi_irqs'), ...tree.allocIrqs(vectors).map((irq) => attr(`msi_irqs/${irq}`, RO, 'msix'))];
    writeEntries(dev.dir, entries);
  }

  if (driver.netdev) {
    const netdev = netdevFor(tree, dev, pf, vfIndex);
    if (netdev) {
      const ifindex = tree.state.nextIfindex++;
      tree.markDirty();
      writeEntries(dev.dir, [
        dir('net'),
        ...netdevEntries(dev.devPath, {
          ...netdev,
          ifindex,
          addrAssignType: pf ? 1 : 0,
          nameAssignType: netdev.name.startsWith('eth') ? 1 : 4,
          cpumaskZero: cpumask([], tree.state.nrCpus),
        }),
      ]);
      classLink(tree, paths.classNet, netdev.name, linkTargets.classNet(dev.devPath, netdev.name));
    }
  }

  if (driver.nvme) {
    const n = lowestFree(paths.classNvme, 'nvme');
    const name = `nvme${n}`;
    const prefix = `nvme/${name}`;
    writeEntries(dev.dir, [
      file('pools', RO, 'poolinfo - 0.1\nprp list 256        0    0  256  0\nprp list page       0    0 4096  0\n'),
      dir('nvme'),
      dir(prefix),
      attr(`${prefix}/address`, RO, dev.address),
      attr(`${prefix}/cntlid`, RO, n + 1),
      attr(`${prefix}/dev`, RO, `241:${n}`),
      link(`${prefix}/device`, `../../../${dev.address}`),
      attr(`${prefix}/firmware_rev`, RO, 'GDC5A02Q'),
      attr(`${prefix}/model`, RO, tree.readAttr(dev, 'vendor') === '0x1b36' ? 'QEMU NVMe Ctrl' : 'SAMSUNG MZQL2960HCJR-00A07'),
      ...powerEntries(`${prefix}/`, { wakeup: false, activeTime: 0, usage: 0 }),
      attr(`${prefix}/serial`, RO, `S64FNE0R${(0x500000 + n).toString(16).toUpperCase()}`),
      attr(`${prefix}/state`, RO, 'live'),
      link(`${prefix}/subsystem`, linkTargets.classDeviceSubsystem(dev.devPath, 'nvme')),
      attr(`${prefix}/transport`, RO, 'pcie'),
      file(`${prefix}/uevent`, RW, `MAJOR=241\nMINOR=${n}\nDEVNAME=${name}\n`),
    ]);
    classLink(tree, paths.classNvme, name, linkTargets.classDevice(dev.devPath, 'nvme', name));
  }

  if (driver.vfioDev) {
    const n = lowestFree(paths.classVfioDev, 'vfio');
    const name = `vfio${n}`;
    const prefix = `vfio-dev/${name}`;
    writeEntries(dev.dir, [
      dir('vfio-dev'),
      dir(prefix),
      link(`${prefix}/device`, `../../../${dev.address}`),
      ...powerEntries(`${prefix}/`, { wakeup: false, activeTime: 0, usage: 0 }),
      link(`${prefix}/subsystem`, linkTargets.classDeviceSubsystem(dev.devPath, 'vfio-dev')),
      file(`${prefix}/uevent`, RW, ''),
    ]);
    classLink(tree, paths.classVfioDev, name, linkTargets.classDevice(dev.devPath, 'vfio-dev', name));
  }
}

/** sys/class/<class>/<name>; a captured tree may lack the class directory until now. */
function classLink(tree: SimTree, classDir: string, name: string, target: string): void {
  mkdirSync(classDir, { recursive: true });
  tree.symlink(target, join(classDir, name));
}

/** The net interface a netdev driver registers for this function. */
function netdevFor(tree: SimTree, dev: DeviceHandle, pf: PciAddress | null, vfIndex: number | undefined): NetdevState | null {
  const known = tree.state.netdevs[dev.address];
  if (known) return known;
  const pfState = pf ? tree.state.pfs[pf] : undefined;
  const index = pf ? (vfIndex ?? vfIndexOf(tree, dev, pf)) : null;
  const name =
    pfState?.vfNetdevName && index !== null ? pfState.vfNetdevName.replace('{n}', String(index)) : `eth${lowestFree(tree.paths.classNet, 'eth')}`;
  const up = pfState?.vfNetdevOperState === 'up';
  return {
    name,
    // iavf, igbvf, ixgbevf and mlx5 give a VF without an administrative MAC a random one.
    mac: vfMac(pfState?.vfMacSeed ?? dev.address, index ?? 0),
    operState: up ? 'up' : 'down',
    speedMbps: up ? (pfState?.vfSpeedMbps ?? null) : null,
    queues: 1,
  };
}

/** Unbinds the function: remove() takes away what probe() made. */
export function detachDriver(tree: SimTree, dev: DeviceHandle): string | null {
  const name = boundDriver(tree, dev);
  if (name === null) return null;
  const driver = driverCatalog.get(name);
  const { paths } = tree;

  for (const sub of ['net', 'nvme', 'vfio-dev'] as const) {
    const subDir = join(dev.dir, sub);
    if (!existsSync(subDir)) continue;
    const classDir = sub === 'net' ? paths.classNet : sub === 'nvme' ? paths.classNvme : paths.classVfioDev;
    for (const entry of readdirSync(subDir)) tree.unlinkIfExists(join(classDir, entry));
    rmSync(subDir, { recursive: true, force: true });
  }
  tree.unlinkIfExists(join(dev.dir, 'pools'));
  rmSync(join(dev.dir, 'msi_irqs'), { recursive: true, force: true });

  tree.unlinkIfExists(join(paths.busPciDrivers, name, dev.address));
  tree.unlinkIfExists(join(dev.dir, 'driver'));
  const uevent = tree.readAttr(dev, 'uevent') ?? '';
  tree.writeAttr(join(dev.dir, 'uevent'), `${uevent.split('\n').filter((l) => l !== '' && !l.startsWith('DRIVER=')).join('\n')}\n`, RW);
  if (driver?.enablesDevice ?? true) tree.writeAttr(join(dev.dir, 'enable'), '0\n', RW);
  return name;
}

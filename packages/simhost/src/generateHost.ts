import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pciSlotOf } from '@vfmap/model';
import { attachDriver, boundDriver } from './driverBinding';
import { attr, file, powerEntries, RO, RW } from './entries';
import { functionEntries } from './functionEntries';
import type { HostProfile } from './hostProfile';
import { hypervisorState, vfioBoundDevices } from './hypervisorState';
import { writeQemuProcesses } from './qemuProcesses';
import { writeHostNetwork } from './hostNetwork';
import { addToGroup, addToIommuUnit } from './iommuGroups';
import type { KernelState } from './kernelState';
import { layoutHost, type HostLayout, type PlacedFunction } from './layoutHost';
import { pciBusEntries } from './pciBus';
import { extractPciIds, systemPciIds } from './pciIdsFile';
import { localCpus, placedFacts } from './placedFacts';
import { profilePciIds, profileDrivers } from './profileFacts';
import { createSimKernel } from './simKernel';
import { simPaths } from './simPaths';
import { SimTree } from './simTree';
import { linkTargets } from './sysfsLinks';
import { writeEntries } from './writeEntries';
import { writeSkeleton } from './writeSkeleton';

export interface GeneratedHost {
  /** The directory that stands for `/`: ROOT/sys, ROOT/proc/sys/kernel, ROOT/usr/share/misc/pci.ids, ROOT/var/lib/vfmap-sim. */
  root: string;
  profile: HostProfile;
  /** Every PCI function in sys/bus/pci/devices after boot, VFs included. */
  deviceCount: number;
}

export interface GenerateOptions {
  /** Where the real pci.ids is read from (default: this machine's, see systemPciIds). */
  pciIdsSource?: string;
}

/**
 * Writes the tree a Linux host with `profile`'s hardware shows after boot into `dir` (which stands
 * for `/`): sysfs as the kernel lays it out, /proc's hostname and release, a pci.ids with the real
 * names of its devices, the simulated kernel's notes and the simulated hypervisor's VMs.
 *
 * Booting is simulated honestly: the functions are written unbound, drivers then bind them, and a
 * boot script writes sriov_drivers_autoprobe and sriov_numvfs and binds the VMs' devices to
 * vfio-pci through the simulated kernel — the same code that answers the agent's writes later.
 * `dir` must be empty or absent.
 */
export function generateHost(dir: string, profile: HostProfile, options: GenerateOptions = {}): GeneratedHost {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`generateHost: ${dir} is not empty`);
  mkdirSync(dir, { recursive: true });
  const paths = simPaths(dir);
  const layout = layoutHost(profile);
  const drivers = profileDrivers(profile);

  mkdirSync(paths.simState, { recursive: true });
  const state = kernelState(profile, layout, drivers);
  writeSkeleton(paths, profile, drivers);
  const tree = new SimTree(dir, state);

  writeRootBuses(tree, profile, layout);
  writeFunctions(tree, profile, layout);
  writeAcpiCompanions(tree, layout);
  for (const fn of layout.functions) {
    if (fn.spec.driver) attachDriver(tree, { address: fn.address, devPath: fn.devPath, dir: tree.deviceDir(fn.devPath) }, fn.spec.driver);
  }
  tree.markDirty();
  tree.save();

  bootScript(dir, profile, layout);

  mkdirSync(paths.procKernel, { recursive: true });
  writeFileSync(join(paths.procKernel, 'hostname'), `${profile.hostname}\n`);
  writeFileSync(join(paths.procKernel, 'osrelease'), `${profile.osRelease}\n`);
  writeFileSync(join(dir, 'proc', 'cmdline'), `${profile.cmdline}\n`);
  writeHostNetwork(dir, paths, profile.network);
  mkdirSync(dirname(paths.pciIds), { recursive: true });
  writeFileSync(paths.pciIds, extractPciIds(profilePciIds(profile), options.pciIdsSource ?? systemPciIds()));
  mkdirSync(dirname(paths.hypervisorState), { recursive: true });
  writeFileSync(paths.hypervisorState, `${JSON.stringify(hypervisorState(profile), null, 2)}\n`);
  writeQemuProcesses(dir, profile);

  return { root: dir, profile, deviceCount: readdirSync(paths.busPciDevices).length };
}

function kernelState(profile: HostProfile, layout: HostLayout, drivers: string[]): KernelState {
  const netdevs: KernelState['netdevs'] = {};
  const pfs: KernelState['pfs'] = {};
  for (const fn of layout.functions) {
    const { spec } = fn;
    if (spec.netdev) netdevs[fn.address] = { ...spec.netdev, queues: spec.netdev.queues ?? 4 };
    if (spec.sriov) {
      const s = spec.sriov;
      pfs[fn.address] = {
        vfSubsystemVendor: s.vfSubsystemVendor,
        vfSubsystemDevice: s.vfSubsystemDevice,
        vfRevision: s.vfRevision,
        vfBars: s.vfBars,
        vfLink: s.vfLink ?? spec.link ?? null,
        vfAer: s.vfAer ?? false,
        vfNetdevName: s.vfNetdevName ?? null,
        vfNetdevOperState: s.vfNetdevOperState ?? 'down',
        vfSpeedMbps: spec.netdev?.speedMbps ?? null,
        vfMacSeed: s.vfMacSeed ?? `${profile.hostname}/${fn.address}`,
        vfMsixVectors: s.vfMsixVectors ?? 5,
        vfsInPfGroup: s.vfsInPfGroup ?? false,
      };
    }
  }
  return {
    version: 1,
    nrCpus: profile.cpus.count,
    iommu: { enabled: profile.iommu.enabled, groupType: profile.iommu.groupType, reservedRegions: '0x00000000fee00000 0x00000000feefffff msi\n' },
    drivers,
    netdevs,
    pfs,
    nextIrq: 24 + layout.functions.length,
    shareWritableInodes: profile.shareWritableInodes ?? false,
    nextIfindex: 2,
  };
}

/** sys/devices/pciDDDD:BB: the host bridges, each with its root bus's pci_bus entry. */
function writeRootBuses(tree: SimTree, profile: HostProfile, layout: HostLayout): void {
  for (const root of profile.rootBuses) {
    const name = `pci${root.domain.toString(16).padStart(4, '0')}:${root.bus.toString(16).padStart(2, '0')}`;
    const rootDir = tree.deviceDir(name);
    mkdirSync(rootDir);
    const bus = layout.buses.find((b) => b.dirPath === `${name}/pci_bus/${b.name}`)!;
    writeEntries(rootDir, [
      ...powerEntries('', { wakeup: false, activeTime: 0, usage: 0 }),
      file('uevent', RW, ''),
      { kind: 'dir', path: 'pci_bus' },
      ...pciBusEntries({ name: bus.name, ownerPath: name, cpus: localCpus(profile, root.numaNode) }),
    ]);
    tree.symlink(linkTargets.classPciBus(bus.dirPath), join(tree.paths.classPciBus, bus.name));
  }
}

function writeFunctions(tree: SimTree, profile: HostProfile, layout: HostLayout): void {
  const { paths } = tree;
  for (const fn of layout.functions) {
    const facts = placedFacts(profile, fn);
    const devDir = tree.deviceDir(fn.devPath);
    mkdirSync(devDir);
    writeEntries(devDir, functionEntries(facts));
    if (fn.bridge) {
      const bus = layout.buses.find((b) => b.dirPath === `${fn.devPath}/pci_bus/${b.name}`)!;
      writeEntries(devDir, [{ kind: 'dir', path: 'pci_bus' }, ...pciBusEntries({ name: bus.name, ownerPath: fn.devPath, cpus: facts.localCpus })]);
      tree.symlink(linkTargets.classPciBus(bus.dirPath), join(paths.classPciBus, bus.name));
    }
    const dev = { address: fn.address, devPath: fn.devPath, dir: devDir };
    tree.symlink(linkTargets.busDevice(fn.devPath), join(paths.busPciDevices, fn.address));
    if (fn.iommuGroup !== null) {
      addToGroup(tree, dev, fn.iommuGroup);
      addToIommuUnit(tree, dev, fn.root.iommuUnit);
    }
    if (fn.spec.slot !== undefined) {
      const slotDir = join(paths.busPciSlots, fn.spec.slot);
      if (!existsSync(slotDir)) {
        mkdirSync(slotDir);
        const speed = fn.spec.link?.maxSpeed ?? 'Unknown';
        writeEntries(slotDir, [
          attr('address', RO, pciSlotOf(fn.address)),
          attr('cur_bus_speed', RO, fn.spec.link?.speed ?? speed),
          attr('max_bus_speed', RO, speed),
        ]);
      }
    }
  }
}

/**
 * The ACPI devices firmware_node links point at (sys/devices/LNXSYSTM:00/...), each with its
 * `physical_node` link back, so that the links resolve as they do on a live host.
 */
function writeAcpiCompanions(tree: SimTree, layout: HostLayout): void {
  for (const fn of layout.functions) {
    const node = fn.spec.firmwareNode;
    if (!node) continue;
    const dir = join(tree.paths.sysDevices, node);
    mkdirSync(dir, { recursive: true });
    const adr = (fn.spec.device << 16) | fn.spec.fn;
    writeEntries(dir, [
      attr('adr', RO, `0x${adr.toString(16).padStart(8, '0')}`),
      attr('path', RO, acpiPath(fn, layout)),
      { kind: 'link', path: 'physical_node', target: relative(dir, tree.deviceDir(fn.devPath)) },
      file('uevent', RW, ''),
    ]);
  }
}

/** The ACPI namespace path of a function's companion: `\_SB_.PCI0.S10_.S00_` (QEMU and most firmware name slots so). */
function acpiPath(fn: PlacedFunction, layout: HostLayout): string {
  const names: string[] = [];
  for (let f: PlacedFunction | undefined = fn; f; f = layout.functions.find((p) => p.address === f!.parent)) {
    names.unshift(`S${((f.spec.device << 3) | f.spec.fn).toString(16).toUpperCase().padStart(2, '0')}_`);
  }
  return ['\\_SB_', 'PCI0', ...names].join('.');
}

/**
 * What runs after boot on a real host: a unit that sets each PF's autoprobe and VF count, then
 * the hypervisor binding its VMs' devices to vfio-pci the way libvirt and Proxmox do
 * (driver_override, unbind, drivers_probe), then whatever drivers the administrator unbound. It goes through the simulated kernel, so the result
 * is exactly what the kernel makes of those writes.
 */
function bootScript(root: string, profile: HostProfile, layout: HostLayout): void {
  const kernel = createSimKernel(root);
  const paths = simPaths(root);
  const devAttr = (address: string, name: string) => join(paths.busPciDevices, address, name);
  for (const fn of layout.functions) {
    const s = fn.spec.sriov;
    if (!s) continue;
    kernel.writeAttribute(devAttr(fn.address, 'sriov_drivers_autoprobe'), s.autoprobe ? '1' : '0');
    if (s.numVfs > 0) kernel.writeAttribute(devAttr(fn.address, 'sriov_numvfs'), String(s.numVfs));
  }
  const tree = SimTree.open(root);
  for (const address of vfioBoundDevices(profile)) {
    const dev = tree.device(address);
    if (!dev) throw new Error(`profile ${profile.name}: a VM holds ${address}, which the host does not have`);
    kernel.writeAttribute(devAttr(address, 'driver_override'), 'vfio-pci');
    const current = boundDriver(tree, dev);
    if (current !== null && current !== 'vfio-pci') kernel.writeAttribute(join(paths.busPciDrivers, current, 'unbind'), address);
    kernel.writeAttribute(join(paths.busPci, 'drivers_probe'), address);
  }
  for (const address of profile.unboundAfterBoot ?? []) {
    const dev = tree.device(address);
    const driver = dev ? boundDriver(tree, dev) : null;
    if (!dev || driver === null) throw new Error(`profile ${profile.name}: ${address} is to be unbound after boot, but no driver is bound to it`);
    kernel.writeAttribute(join(paths.busPciDrivers, driver, 'unbind'), address);
  }
}

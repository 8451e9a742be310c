import { existsSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parsePciAddress, vfAddressOf, type PciAddress } from '@vfmap/model';
import { buildConfigHeader } from './configSpace';
import { boundDriver, deviceAttach, detachDriver } from './driverBinding';
import { RW } from './entries';
import { functionEntries, type FunctionFacts } from './functionEntries';
import { addToGroup, addToIommuUnit, groupsInUse, lowestFreeGroup, removeFromGroup, removeFromIommuUnit } from './iommuGroups';
import type { PfState } from './kernelState';
import { addPciBus, removePciBus } from './pciBus';
import { BAR_FLAGS, iovRegionStarts } from './resources';
import type { DeviceHandle, SimTree } from './simTree';
import { linkTargets } from './sysfsLinks';
import { resourceLine } from './sysfsText';
import { sleepSync } from './sleepSync';
import { createVfSettings, dropVfSettings } from './vfSettings';
import { newInodeSharing, writeEntries } from './writeEntries';

/** What a PF's sysfs directory and the kernel's notes say about the VFs it will have. */
export interface PfView {
  dev: DeviceHandle;
  vendor: number;
  classCode: number;
  vfDeviceId: number;
  offset: number;
  stride: number;
  totalVfs: number;
  numaNode: number | null;
  localCpus: { mask: string; list: string };
  ari: boolean;
  iommuUnit: string | null;
  iovRegions: Array<bigint | null>;
  /** The last bus number of the PF's bus range (busn_res.end): where its VFs may lie. */
  lastBus: number;
  state: PfState;
}

export function readPf(tree: SimTree, dev: DeviceHandle): PfView | null {
  const state = tree.state.pfs[dev.address];
  const total = tree.readAttr(dev, 'sriov_totalvfs');
  if (!state || total === null) return null;
  const num = (name: string) => Number(tree.readAttr(dev, name));
  const numa = num('numa_node');
  return {
    dev,
    vendor: Number.parseInt(tree.readAttr(dev, 'vendor') ?? '', 16),
    classCode: Number.parseInt(tree.readAttr(dev, 'class') ?? '', 16),
    vfDeviceId: Number.parseInt(tree.readAttr(dev, 'sriov_vf_device') ?? '', 16),
    offset: num('sriov_offset'),
    stride: num('sriov_stride'),
    totalVfs: Number(total),
    numaNode: numa < 0 ? null : numa,
    localCpus: { mask: tree.readAttr(dev, 'local_cpus') ?? '', list: tree.readAttr(dev, 'local_cpulist') ?? '' },
    ari: tree.readAttr(dev, 'ari_enabled') === '1',
    iommuUnit: tree.readLinkName(dev, 'iommu'),
    iovRegions: iovRegionStarts(tree.readAttr(dev, 'resource') ?? ''),
    lastBus: lastBusOfRange(tree, dev),
    state,
  };
}

/**
 * The end of the bus range of the PF's bus (dev->bus->busn_res.end): behind a bridge, the bridge's
 * subordinate bus, which firmware or the kernel set at enumeration to cover the VFs' buses
 * (pci_iov_bus_range). A root bus's range comes from ACPI (_CRS), which sysfs does not show and
 * the simulated host does not model: it is taken to reach bus ff.
 */
function lastBusOfRange(tree: SimTree, dev: DeviceHandle): number {
  const parent = tree.deviceAtDir(dirname(dev.dir));
  const subordinate = parent ? tree.readAttr(parent, 'subordinate_bus_number') : null;
  return subordinate === null ? 0xff : Number(subordinate);
}

/** A new VF as pci_iov_add_virtfn() makes it: the PF's vendor and class, the VF device id, no INTx. */
export function vfFacts(pf: PfView, index: number, address: PciAddress, group: number | null): FunctionFacts {
  const s = pf.state;
  const ids = {
    vendor: pf.vendor,
    device: pf.vfDeviceId,
    subsystemVendor: s.vfSubsystemVendor,
    subsystemDevice: s.vfSubsystemDevice,
    classCode: pf.classCode,
    revision: s.vfRevision,
  };
  const resourceLines: string[] = [];
  for (let i = 0; i < 13; i++) {
    const bar = i < 6 ? s.vfBars.find((b) => b.index === i) : undefined;
    const region = bar ? pf.iovRegions[bar.index] : null;
    resourceLines.push(
      bar && region != null
        ? resourceLine(region + BigInt(index) * BigInt(bar.size), BigInt(bar.size), BAR_FLAGS[bar.kind])
        : resourceLine(0n, 0n, 0),
    );
  }
  return {
    address,
    devPath: `${dirname(pf.dev.devPath)}/${address}`,
    role: 'vf',
    ids,
    // A VF's Vendor and Device ID registers read 0xffff (SR-IOV 1.1 §3.4.1.1); its BARs live in
    // the PF's SR-IOV capability and read 0. sysfs `vendor`/`device` come from the PF.
    config: buildConfigHeader({
      type: 0,
      vendor: 0xffff,
      device: 0xffff,
      command: 0,
      revision: s.vfRevision,
      classCode: pf.classCode,
      multifunction: false,
      interruptLine: 0,
      interruptPin: 0,
      bars: [],
      subsystemVendor: s.vfSubsystemVendor,
      subsystemDevice: s.vfSubsystemDevice,
      romAddress: 0,
    }),
    numaNode: pf.numaNode,
    localCpus: pf.localCpus,
    link: s.vfLink,
    aer: s.vfAer,
    rootPort: false,
    ari: pf.ari,
    resetMethod: 'flr',
    irq: 0,
    resourceLines,
    resourceFiles: s.vfBars.map((b) => ({ index: b.index, prefetchable: b.kind === 'mem64pref' })),
    rom: false,
    sriov: null,
    bridge: null,
    onboard: null,
    iommu: group !== null && pf.iommuUnit ? { unit: pf.iommuUnit, group } : null,
    firmwareNode: null,
    physfn: pf.dev.address,
    powerManagement: true,
    activeTimeMs: 1977 + index,
  };
}

export interface VfTiming {
  /** Milliseconds per VF created (0: as fast as the disk allows). */
  enableDelayMs: number;
  /** Milliseconds per VF removed. */
  disableDelayMs: number;
  /** Milliseconds once per enable (the kernel's msleep(100) after setting VF Enable). */
  enableFixedMs: number;
  /** Milliseconds once per disable (the kernel's ssleep(1) after clearing VF Enable). */
  disableFixedMs: number;
}

const busOf = (address: string): number => parsePciAddress(address)!.bus;
const busName = (address: string): string => address.slice(0, address.lastIndexOf(':'));

/**
 * sriov_enable(): creates `count` VFs. Their directories are built complete outside sys/ and
 * moved in; only then do the group, bus and virtfnN links appear, drivers probe (when
 * sriov_drivers_autoprobe is 1) and sriov_numvfs reads the new count — a reader sees all or none.
 * The PF's driver starts each VF's settings afresh, with its defaults (vfSettings.ts).
 */
export function enableVfs(tree: SimTree, pf: PfView, count: number, timing: VfTiming): void {
  createVfSettings(tree.paths, pf.dev.address, boundDriver(tree, pf.dev), count);
  const inUse = tree.state.iommu.enabled ? groupsInUse(tree) : null;
  const pfGroup = pf.state.vfsInPfGroup ? tree.readLinkName(pf.dev, 'iommu_group') : null;
  sleepSync(timing.enableFixedMs);
  const sharing = newInodeSharing(tree.state.shareWritableInodes);
  const created: Array<{ dev: DeviceHandle; index: number; group: number | null; stage: string }> = [];

  for (let index = 0; index < count; index++) {
    const address = vfAddressOf(pf.dev.address, pf.offset, pf.stride, index);
    // storeSriovNumvfs checked the bus range, which never reaches past bus ff.
    if (address === null) throw new Error(`VF ${index} of ${pf.dev.address} lies past bus ff; the bus range check should have refused ${count}`);
    let group: number | null = null;
    if (inUse && pf.iommuUnit) {
      group = pfGroup !== null ? Number(pfGroup) : lowestFreeGroup(inUse);
      inUse.add(group);
    }
    const facts = vfFacts(pf, index, address, group);
    const stage = tree.stagingDir(address);
    writeEntries(stage, functionEntries(facts), sharing);
    created.push({ dev: { address, devPath: facts.devPath, dir: tree.deviceDir(facts.devPath) }, index, group, stage });
    sleepSync(timing.enableDelayMs);
  }

  for (const vf of created) {
    if (vf.group === null || !pf.iommuUnit) continue;
    addToGroup(tree, vf.dev, vf.group);
    addToIommuUnit(tree, vf.dev, pf.iommuUnit);
  }
  const pfBus = busOf(pf.dev.address);
  const ownerPath = dirname(pf.dev.devPath);
  for (const vf of created) {
    renameSync(vf.stage, vf.dev.dir);
    if (busOf(vf.dev.address) !== pfBus) {
      addPciBus(tree, { name: busName(vf.dev.address), ownerPath, cpus: pf.localCpus }, (dir, entries) => writeEntries(dir, entries));
    }
  }
  for (const vf of created) tree.symlink(linkTargets.busDevice(vf.dev.devPath), join(tree.paths.busPciDevices, vf.dev.address));
  for (const vf of created) tree.symlink(`../${vf.dev.address}`, join(pf.dev.dir, `virtfn${vf.index}`));

  // New VFs have no driver_override, so with the PF's autoprobe at 0 none of them can probe.
  if (busAutoprobe(tree) && tree.readAttr(pf.dev, 'sriov_drivers_autoprobe') !== '0') {
    for (const vf of created) deviceAttach(tree, vf.dev, vf.index);
  }
  tree.writeAttr(join(pf.dev.dir, 'sriov_numvfs'), `${count}\n`, RW);
}

/** sys/bus/pci/drivers_autoprobe: 0 stops the kernel from probing any new device. */
function busAutoprobe(tree: SimTree): boolean {
  try {
    return readFileSync(join(tree.paths.busPci, 'drivers_autoprobe'), 'utf8').trim() !== '0';
  } catch {
    return true;
  }
}

/** The PF's VFs by index, from its virtfnN links. */
export function listVfs(pf: DeviceHandle): Array<{ index: number; address: PciAddress }> {
  const out: Array<{ index: number; address: PciAddress }> = [];
  for (const name of readdirSync(pf.dir)) {
    if (!/^virtfn\d+$/.test(name)) continue;
    out.push({ index: Number(name.slice(6)), address: readlinkSync(join(pf.dir, name)).replace(/^\.\.\//, '') as PciAddress });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * sriov_disable(): removes every VF, last first as sriov_del_vfs() does. The links go first (the
 * VFs vanish from sys/bus/pci/devices and the PF's virtfnN at once), drivers are unbound, then the
 * directories go, the PF's driver forgets their settings, and sriov_numvfs reads 0.
 */
export function disableVfs(tree: SimTree, pf: DeviceHandle, timing: VfTiming): void {
  const vfs = listVfs(pf).reverse();
  const handles: DeviceHandle[] = [];
  for (const vf of vfs) {
    tree.unlinkIfExists(join(pf.dir, `virtfn${vf.index}`));
    const dev = tree.device(vf.address) ?? { address: vf.address, devPath: `${dirname(pf.devPath)}/${vf.address}`, dir: tree.deviceDir(`${dirname(pf.devPath)}/${vf.address}`) };
    // A VF hot-unplugged on its own (faults.ts `vanish`) has no directory left to remove.
    if (existsSync(dev.dir)) handles.push(dev);
    tree.unlinkIfExists(join(tree.paths.busPciDevices, vf.address));
  }
  for (const dev of handles) {
    detachDriver(tree, dev);
    const group = tree.readLinkName(dev, 'iommu_group');
    if (group !== null) removeFromGroup(tree, dev, Number(group));
    const unit = tree.readLinkName(dev, 'iommu');
    if (unit !== null) removeFromIommuUnit(tree, dev, unit);
    sleepSync(timing.disableDelayMs);
  }
  sleepSync(timing.disableFixedMs);
  const pfBus = busOf(pf.address);
  const virtualBuses = new Set<string>();
  for (const dev of handles) {
    const gone = join(tree.paths.staging, `${dev.address}.removed`);
    tree.ensureStaging();
    rmSync(gone, { recursive: true, force: true });
    renameSync(dev.dir, gone);
    rmSync(gone, { recursive: true, force: true });
    if (busOf(dev.address) !== pfBus) virtualBuses.add(busName(dev.address));
  }
  for (const bus of virtualBuses) removePciBus(tree, dirname(pf.devPath), bus);
  dropVfSettings(tree.paths, pf.address);
  tree.writeAttr(join(pf.dir, 'sriov_numvfs'), '0\n', RW);
}

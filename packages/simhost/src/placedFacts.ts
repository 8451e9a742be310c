import { buildConfigHeader, withSriovCapability, COMMAND_INTX_DISABLE, COMMAND_IO, COMMAND_MASTER, COMMAND_MEMORY } from './configSpace';
import type { FunctionFacts } from './functionEntries';
import type { HostProfile } from './hostProfile';
import type { PlacedFunction } from './layoutHost';
import { barRegisters, bridgeResourceLines, functionResourceLines } from './resources';
import { cpulist, cpumask, parseCpulist } from './sysfsText';

/** local_cpus / local_cpulist of a function on `node` (null: every CPU, as -1 means). */
export function localCpus(profile: HostProfile, node: number | null): { mask: string; list: string } {
  const cpus =
    node === null
      ? Array.from({ length: profile.cpus.count }, (_, i) => i)
      : parseCpulist(profile.cpus.nodes.find((n) => n.id === node)?.cpulist ?? '');
  return { mask: cpumask(cpus, profile.cpus.count), list: cpulist(cpus) };
}

/** The facts of a profile function at boot, before any driver binds it. */
export function placedFacts(profile: HostProfile, fn: PlacedFunction): FunctionFacts {
  const { spec } = fn;
  const role = spec.bridge ? 'bridge' : spec.sriov ? 'pf' : 'endpoint';
  const hasIo = (spec.bars ?? []).some((b) => b.kind === 'io');
  // Firmware enables memory decoding and bus mastering on what it configured; a driver using
  // MSI/MSI-X turns INTx off.
  const command =
    COMMAND_MEMORY | COMMAND_MASTER | (hasIo || spec.bridge ? COMMAND_IO : 0) | ((spec.msiVectors ?? 0) > 0 ? COMMAND_INTX_DISABLE : 0);
  const irq = spec.irq ?? 0;
  const common = {
    vendor: spec.ids.vendor,
    device: spec.ids.device,
    command,
    revision: spec.ids.revision,
    classCode: spec.ids.classCode,
    multifunction: fn.multifunction,
    interruptLine: irq & 0xff,
    interruptPin: irq > 0 ? (spec.fn % 4) + 1 : 0,
  };
  const header = fn.bridge
    ? buildConfigHeader({
        ...common,
        type: 1,
        bars: barRegisters(fn.bars, 2),
        primaryBus: fn.bridge.primary,
        secondaryBus: fn.bridge.secondary,
        subordinateBus: fn.bridge.subordinate,
        windows: fn.bridge.windows,
      })
    : buildConfigHeader({
        ...common,
        type: 0,
        bars: barRegisters(fn.bars, 6),
        subsystemVendor: spec.ids.subsystemVendor,
        subsystemDevice: spec.ids.subsystemDevice,
        romAddress: fn.rom ? Number(fn.rom.start & 0xffff_ffffn) : 0,
      });
  const off = spec.sriovOffInFirmware;
  const config = off ? withSriovCapability(header, { initialVfs: off.totalVfs, totalVfs: off.totalVfs, offset: off.offset, stride: off.stride, vfDeviceId: off.vfDeviceId }) : header;
  const isRootPort = spec.bridge !== undefined && fn.parent === null && spec.link != null;

  return {
    address: fn.address,
    devPath: fn.devPath,
    role,
    ids: spec.ids,
    config,
    numaNode: fn.root.numaNode,
    localCpus: localCpus(profile, fn.root.numaNode),
    link: spec.link ?? null,
    aer: spec.aer ?? false,
    rootPort: isRootPort,
    ari: spec.ari ?? false,
    resetMethod: spec.resetMethod ?? null,
    irq,
    resourceLines: fn.bridge ? bridgeResourceLines(fn.bars, fn.bridge) : functionResourceLines(fn.bars, fn.rom, fn.iovBars),
    resourceFiles: fn.bars.map((b) => ({ index: b.index, prefetchable: b.kind === 'mem64pref' })),
    rom: fn.rom !== null,
    sriov: spec.sriov
      ? {
          totalVfs: spec.sriov.totalVfs,
          offset: spec.sriov.offset,
          stride: spec.sriov.stride,
          vfDeviceId: spec.sriov.vfDeviceId,
          autoprobe: true,
          vfTotalMsix: spec.sriov.vfTotalMsix ?? 0,
        }
      : null,
    bridge: fn.bridge ? { secondary: fn.bridge.secondary, subordinate: fn.bridge.subordinate, portServices: spec.bridge?.portServices ?? [] } : null,
    onboard: spec.onboard ?? null,
    iommu: fn.iommuGroup !== null ? { unit: fn.root.iommuUnit, group: fn.iommuGroup } : null,
    firmwareNode: spec.firmwareNode ?? null,
    physfn: null,
    powerManagement: spec.powerManagement ?? true,
    activeTimeMs: 13000 + (fn.bus << 8) + spec.device * 8 + spec.fn,
  };
}

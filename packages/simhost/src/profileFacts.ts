import { driverCatalog, driverMatchesIds } from './driverCatalog';
import type { HostProfile, PciFunctionSpec } from './hostProfile';
import { vfioBoundDevices } from './hypervisorState';
import type { PciIdsWanted } from './pciIdsFile';

/** Every function of the profile, bridges' children included (VFs are not functions of a profile). */
export function allFunctions(profile: HostProfile): PciFunctionSpec[] {
  const out: PciFunctionSpec[] = [];
  const walk = (fns: PciFunctionSpec[]) => {
    for (const f of fns) {
      out.push(f);
      if (f.bridge) walk(f.bridge.functions);
    }
  };
  for (const root of profile.rootBuses) walk(root.functions);
  return out;
}

/**
 * The PCI drivers loaded on the host, in the order the bus tries them: those bound at boot, the
 * VF drivers whose id tables match the PFs' VF device ids, vfio-pci when anything is passed
 * through, and the profile's extras.
 */
export function profileDrivers(profile: HostProfile): string[] {
  const wanted = new Set<string>();
  for (const f of allFunctions(profile)) {
    if (f.driver) wanted.add(f.driver);
    if (f.sriov) {
      for (const d of driverCatalog.values()) {
        if (driverMatchesIds(d, f.ids.vendor, f.sriov.vfDeviceId, f.ids.classCode)) wanted.add(d.name);
      }
    }
  }
  if (vfioBoundDevices(profile).length > 0) wanted.add('vfio-pci');
  for (const d of profile.extraDrivers ?? []) wanted.add(d);
  for (const d of wanted) if (!driverCatalog.has(d)) throw new Error(`profile ${profile.name} uses unknown driver ${d}`);
  return [...driverCatalog.keys()].filter((d) => wanted.has(d));
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** The vendor, device, subsystem and class ids a profile shows, VFs included. */
export function profilePciIds(profile: HostProfile): PciIdsWanted {
  const wanted: PciIdsWanted = { devices: new Map(), subsystems: new Map(), classes: new Set() };
  const add = (vendor: number, device: number, subVendor: number, subDevice: number, classCode: number) => {
    const v = hex4(vendor);
    const d = hex4(device);
    if (!wanted.devices.has(v)) wanted.devices.set(v, new Set());
    wanted.devices.get(v)!.add(d);
    const key = `${v} ${d}`;
    if (!wanted.subsystems.has(key)) wanted.subsystems.set(key, new Set());
    wanted.subsystems.get(key)!.add(`${hex4(subVendor)} ${hex4(subDevice)}`);
    wanted.classes.add(classCode.toString(16).padStart(6, '0'));
  };
  for (const f of allFunctions(profile)) {
    add(f.ids.vendor, f.ids.device, f.ids.subsystemVendor, f.ids.subsystemDevice, f.ids.classCode);
    if (f.sriov) add(f.ids.vendor, f.sriov.vfDeviceId, f.sriov.vfSubsystemVendor, f.sriov.vfSubsystemDevice, f.ids.classCode);
  }
  return wanted;
}

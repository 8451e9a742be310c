import { join } from 'node:path';
import { PCI_IDS_LOCATIONS, SIMULATED_HYPERVISOR_STATE_PATH } from '@vfmap/model';

/**
 * Every path of the simulated host, derived from its root (the directory that stands for `/`).
 * Nothing else in simhost joins path strings under the root by hand.
 */
export interface SimPaths {
  root: string;
  sys: string;
  sysDevices: string;
  busPci: string;
  busPciDevices: string;
  busPciDrivers: string;
  busPciSlots: string;
  iommuGroups: string;
  classNet: string;
  classPciBus: string;
  classIommu: string;
  classNvme: string;
  classVfioDev: string;
  virtualIommu: string;
  virtualNet: string;
  module: string;
  nodes: string;
  procKernel: string;
  pciIds: string;
  simState: string;
  /** The simulated kernel's own notes (kernel.json): what sysfs does not say. */
  kernelState: string;
  hypervisorState: string;
  /** Where VF directories are built before they appear (same filesystem, outside sys/). */
  staging: string;
}

export function simPaths(root: string): SimPaths {
  const sys = join(root, 'sys');
  const simState = join(root, 'var', 'lib', 'vfmap-sim');
  return {
    root,
    sys,
    sysDevices: join(sys, 'devices'),
    busPci: join(sys, 'bus', 'pci'),
    busPciDevices: join(sys, 'bus', 'pci', 'devices'),
    busPciDrivers: join(sys, 'bus', 'pci', 'drivers'),
    busPciSlots: join(sys, 'bus', 'pci', 'slots'),
    iommuGroups: join(sys, 'kernel', 'iommu_groups'),
    classNet: join(sys, 'class', 'net'),
    classPciBus: join(sys, 'class', 'pci_bus'),
    classIommu: join(sys, 'class', 'iommu'),
    classNvme: join(sys, 'class', 'nvme'),
    classVfioDev: join(sys, 'class', 'vfio-dev'),
    virtualIommu: join(sys, 'devices', 'virtual', 'iommu'),
    virtualNet: join(sys, 'devices', 'virtual', 'net'),
    module: join(sys, 'module'),
    nodes: join(sys, 'devices', 'system', 'node'),
    procKernel: join(root, 'proc', 'sys', 'kernel'),
    // Where a Debian host has it: the first location the reader tries.
    pciIds: join(root, PCI_IDS_LOCATIONS[0]!),
    simState,
    kernelState: join(simState, 'kernel.json'),
    hypervisorState: join(root, SIMULATED_HYPERVISOR_STATE_PATH),
    staging: join(simState, 'staging'),
  };
}

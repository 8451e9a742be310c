/**
 * Relative symlink targets exactly as sysfs makes them. A PCI function's directory is
 * sys/devices/<devPath>, where devPath is `pci0000:00/0000:00:02.0/0000:01:00.0`: the number of
 * `../` in its links grows with the depth of the bridge chain (`../../../kernel/...` on the root
 * bus, `../../../../kernel/...` one bridge down).
 */

const up = (n: number): string => '../'.repeat(n);
const depthOf = (devPath: string): number => devPath.split('/').length;

/** From sys/devices/<devPath> back to sys/. */
export const upToSys = (devPath: string): string => up(depthOf(devPath) + 1);

export const linkTargets = {
  /** sys/bus/pci/devices/<addr> */
  busDevice: (devPath: string) => `../../../devices/${devPath}`,
  /** <dev>/subsystem */
  subsystem: (devPath: string) => `${upToSys(devPath)}bus/pci`,
  /** <dev>/driver */
  driver: (devPath: string, driver: string) => `${upToSys(devPath)}bus/pci/drivers/${driver}`,
  /** sys/bus/pci/drivers/<driver>/<addr> */
  driverDevice: (devPath: string) => `../../../../devices/${devPath}`,
  /** <dev>/iommu_group */
  iommuGroup: (devPath: string, group: number) => `${upToSys(devPath)}kernel/iommu_groups/${group}`,
  /** sys/kernel/iommu_groups/N/devices/<addr> */
  groupDevice: (devPath: string) => `../../../../devices/${devPath}`,
  /** <dev>/iommu */
  iommu: (devPath: string, unit: string) => `${up(depthOf(devPath))}virtual/iommu/${unit}`,
  /** sys/devices/virtual/iommu/<unit>/devices/<addr> */
  iommuDevice: (devPath: string) => `../../../../${devPath}`,
  /** <dev>/firmware_node */
  firmwareNode: (devPath: string, acpiPath: string) => `${up(depthOf(devPath))}${acpiPath}`,
  /** sys/class/net/<if> */
  classNet: (devPath: string, ifname: string) => `../../devices/${devPath}/net/${ifname}`,
  /** <dev>/net/<if>/subsystem */
  netSubsystem: (devPath: string) => `../../${upToSys(devPath)}class/net`,
  /** sys/bus/pci/drivers/<driver>/module */
  driverModule: (module: string) => `../../../../module/${module}`,
  /** sys/module/<module>/drivers/pci:<driver> */
  moduleDriver: (driver: string) => `../../../bus/pci/drivers/${driver}`,
  /** sys/class/pci_bus/<dddd:bb> */
  classPciBus: (busDirPath: string) => `../../devices/${busDirPath}`,
  /** <dev>/nvme/nvmeN/subsystem, <dev>/vfio-dev/vfioN/subsystem */
  classDeviceSubsystem: (devPath: string, className: string) => `../../${upToSys(devPath)}class/${className}`,
  /** sys/class/<class>/<name> for a class device under a PCI function */
  classDevice: (devPath: string, subdir: string, name: string) => `../../devices/${devPath}/${subdir}/${name}`,
};

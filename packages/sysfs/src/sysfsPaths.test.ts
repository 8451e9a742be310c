import { describe, expect, it } from 'vitest';
import { sysfsPaths } from './sysfsPaths';

describe('sysfsPaths', () => {
  it('puts every place under the root', () => {
    const p = sysfsPaths('/tmp/host-a');
    expect(p.pciDevices).toBe('/tmp/host-a/sys/bus/pci/devices');
    expect(p.pciDeviceFile('0000:05:00.0', 'sriov_numvfs')).toBe('/tmp/host-a/sys/bus/pci/devices/0000:05:00.0/sriov_numvfs');
    expect(p.pciDriver('vfio-pci')).toBe('/tmp/host-a/sys/bus/pci/drivers/vfio-pci');
    expect(p.pciDriversProbe).toBe('/tmp/host-a/sys/bus/pci/drivers_probe');
    expect(p.iommuGroupDevices(7)).toBe('/tmp/host-a/sys/kernel/iommu_groups/7/devices');
    expect([p.procHostname, p.procOsRelease, p.etcHostname]).toEqual([
      '/tmp/host-a/proc/sys/kernel/hostname',
      '/tmp/host-a/proc/sys/kernel/osrelease',
      '/tmp/host-a/etc/hostname',
    ]);
    expect(p.pciIds).toEqual(['/tmp/host-a/usr/share/misc/pci.ids', '/tmp/host-a/usr/share/hwdata/pci.ids']);
  });

  it('reads the real machine at / by default', () => {
    expect(sysfsPaths().pciDevice('0000:00:00.0')).toBe('/sys/bus/pci/devices/0000:00:00.0');
  });

  it('shows paths relative to the root for warnings', () => {
    const p = sysfsPaths('/tmp/host-a/');
    expect(p.relative(p.pciDeviceFile('10000:00:04.0', 'vendor'))).toBe('sys/bus/pci/devices/10000:00:04.0/vendor');
    expect(sysfsPaths('/').relative('/sys/kernel/iommu_groups')).toBe('sys/kernel/iommu_groups');
  });
});

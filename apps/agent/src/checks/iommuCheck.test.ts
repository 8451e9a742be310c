import { describe, expect, it } from 'vitest';
import { handTopology } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { iommuCheck } from './iommuCheck';

const groups = { 'sys/kernel/iommu_groups/0/devices/0000:00:00.0': { dir: true }, 'sys/kernel/iommu_groups/1/devices/0000:00:01.0': { dir: true } } as const;

describe('iommuCheck', () => {
  it('finds the IOMMU on where the kernel made groups', () => {
    const files = handFiles({ 'sys/class/iommu/dmar0': { dir: true }, ...groups, 'proc/cmdline': 'root=/dev/sda1 intel_iommu=on' });
    const [c] = iommuCheck({ files, topology: handTopology() });
    expect(c).toMatchObject({ id: 'iommu', scope: 'host', target: null, status: 'ok', title: 'IOMMU on: 2 groups' });
    expect(c!.evidence).toEqual([
      { path: '/sys/class/iommu', value: 'dmar0' },
      { path: '/sys/kernel/iommu_groups', value: '2 groups' },
      { path: '/proc/cmdline', value: 'root=/dev/sda1 intel_iommu=on' },
    ]);
  });

  it('says passthrough mode where iommu=pt is on a working IOMMU', () => {
    const files = handFiles({ 'sys/class/iommu/dmar0': { dir: true }, ...groups, 'proc/cmdline': 'intel_iommu=on iommu=pt' });
    expect(iommuCheck({ files, topology: handTopology() })[0]).toMatchObject({ status: 'ok', title: 'IOMMU on in passthrough mode (iommu=pt): 2 groups' });
  });

  it('fails with intel_iommu=off named as the reason', () => {
    const files = handFiles({ 'sys/class/iommu': { dir: true }, 'sys/kernel/iommu_groups': { dir: true }, 'proc/cmdline': 'quiet intel_iommu=off' });
    const [c] = iommuCheck({ files, topology: handTopology() });
    expect(c).toMatchObject({ status: 'fail', title: 'IOMMU off: intel_iommu=off on the kernel command line' });
    expect(c!.fix.debian).toMatch(/update-grub/);
  });

  it('fails with amd_iommu=off named as the reason', () => {
    const files = handFiles({ 'sys/kernel/iommu_groups': { dir: true }, 'proc/cmdline': 'amd_iommu=off' });
    expect(iommuCheck({ files, topology: handTopology() })[0]).toMatchObject({ status: 'fail', title: 'IOMMU off: amd_iommu=off on the kernel command line' });
  });

  it('fails where iommu=pt stands alone and no group was made', () => {
    const files = handFiles({ 'sys/kernel/iommu_groups': { dir: true }, 'proc/cmdline': 'ro quiet iommu=pt' });
    expect(iommuCheck({ files, topology: handTopology() })[0]).toMatchObject({ status: 'fail', title: expect.stringMatching(/iommu=pt is set but intel_iommu=on is not/) });
  });

  it('says unknown, not off, where a capture has neither groups nor IOMMU units', () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    const [c] = iommuCheck({ files, topology: handTopology() });
    expect(c!.status).toBe('unknown');
    expect(c!.evidence).toContainEqual({ path: '/proc/cmdline', value: '(absent)' });
  });

  it("counts the scan's groups where the groups directory was not captured but the devices' links were", () => {
    const files = handFiles({ 'sys/bus/pci/devices': { dir: true } });
    const topology = handTopology({ iommuGroups: [{ id: 8, devices: ['0000:00:0d.0', '0000:00:0d.2'] }] });
    expect(iommuCheck({ files, topology })[0]).toMatchObject({ status: 'ok', title: 'IOMMU on: 1 groups' });
  });
});

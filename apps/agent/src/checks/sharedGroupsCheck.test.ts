import { describe, expect, it } from 'vitest';
import { handPf, handTopology, handVf } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { sharedGroupsCheck } from './sharedGroupsCheck';

const PF = '0000:03:00.0';
const files = () => handFiles({ 'sys/kernel/iommu_groups': { dir: true } });

describe('sharedGroupsCheck', () => {
  it('warns where the VFs are in their PF\'s group (no ACS), naming the members and the ACS override\'s cost', () => {
    const vfs = [handVf(PF, 0, '0000:03:10.0', { iommuGroup: 7 }), handVf(PF, 1, '0000:03:10.2', { iommuGroup: 7 })];
    const topology = handTopology({ pfs: [handPf(PF, { iommuGroup: 7, numVfs: 2, vfs })], iommuGroups: [{ id: 7, devices: [PF, '0000:03:10.0', '0000:03:10.2'] }] });
    const [c] = sharedGroupsCheck({ files: files(), topology });
    expect(c).toMatchObject({ id: 'shared-iommu-groups', target: PF, status: 'warn', title: `2 of 2 VFs of ${PF} share an IOMMU group (group 7: 3 members)` });
    expect(c!.evidence).toEqual([{ path: '/sys/kernel/iommu_groups/7/devices', value: `${PF} 0000:03:10.0 0000:03:10.2` }]);
    expect(c!.fix.proxmox).toMatch(/pcie_acs_override/);
    expect(c!.fix.debian).toMatch(/no pcie_acs_override/);
  });

  it('is ok where each VF is alone in its group', () => {
    const vfs = [handVf(PF, 0, '0000:03:10.0', { iommuGroup: 8 })];
    const topology = handTopology({ pfs: [handPf(PF, { iommuGroup: 7, numVfs: 1, vfs })], iommuGroups: [{ id: 7, devices: [PF] }, { id: 8, devices: ['0000:03:10.0'] }] });
    expect(sharedGroupsCheck({ files: files(), topology })[0]).toMatchObject({ status: 'ok' });
  });

  it('says unknown where the VFs have no group, and nothing of a PF without VFs', () => {
    const topology = handTopology({ pfs: [handPf(PF, { numVfs: 1, vfs: [handVf(PF, 0, '0000:03:10.0')] }), handPf('0000:04:00.0')] });
    const checks = sharedGroupsCheck({ files: files(), topology });
    expect(checks.map((c) => [c.target, c.status])).toEqual([[PF, 'unknown']]);
  });
});

import { describe, expect, it } from 'vitest';
import { labTopology } from './fixtures';
import { withNumVfs } from './topologyChanges';

describe('withNumVfs (the fixture server\'s count change)', () => {
  it('makes the VFs at the addresses offset and stride give, each alone in a new IOMMU group', () => {
    const after = withNumVfs(labTopology(), '0000:af:00.1', 2);
    const pf = after.pfs.find((p) => p.address === '0000:af:00.1')!;
    expect(pf.vfs.map((v) => [v.address, v.driver])).toEqual([
      ['0000:af:02.2', 'mlx5_core'],
      ['0000:af:02.3', 'mlx5_core'],
    ]);
    for (const vf of pf.vfs) expect(after.iommuGroups.find((g) => g.id === vf.iommuGroup)!.devices).toEqual([vf.address]);
  });

  it('keeps a VM\'s hold on an address that exists again, as the VM\'s configuration still names it', () => {
    const after = withNumVfs(labTopology(), '0000:3b:00.1', 1);
    const pf = after.pfs.find((p) => p.address === '0000:3b:00.1')!;
    expect(pf.vfs).toHaveLength(1);
    expect(pf.vfs[0]!.holder).toMatchObject({ vmId: '120' });
    // The destroyed VFs' groups are gone with them.
    expect(after.iommuGroups.some((g) => g.devices.includes('0000:3b:12.5'))).toBe(false);
  });
});

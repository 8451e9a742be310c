import { describe, expect, it } from 'vitest';
import { iommuOffTopology, labTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';
import { IOMMU_OFF_WORDS, legendEntries } from './legendEntries';

const labels = (t: ReturnType<typeof labTopology>) => legendEntries(buildGraphModel(t)).map((e) => e.label);

describe('legendEntries', () => {
  it('lists free, held, shared groups and pending on a host that has them', () => {
    expect(labels(labTopology())).toEqual(['free', 'held', 'shared IOMMU group', 'pending']);
  });

  it('says the IOMMU is off instead of free and shared groups', () => {
    const words = labels(iommuOffTopology());
    expect(words).toContain(IOMMU_OFF_WORDS);
    expect(words).not.toContain('shared IOMMU group');
    expect(words).not.toContain('free');
  });

  it('leaves out pending when nothing is pending and shared groups when no VF shares one', () => {
    const t = labTopology();
    for (const v of t.pfs.flatMap((p) => p.vfs)) if (v.holder) v.holder = { ...v.holder, pending: false, pendingChange: null };
    expect(labels(t)).not.toContain('pending');
    const alone = labTopology();
    alone.pfs = alone.pfs.filter((p) => !p.vfs.some((v) => buildGraphModel(labTopology()).vfByAddress.get(v.address)!.groupPeers.length > 0));
    expect(labels(alone)).not.toContain('shared IOMMU group');
  });

  it('has the forced-change mark only while the page marks a VF with it', () => {
    const model = buildGraphModel(labTopology());
    expect(legendEntries(model).map((e) => e.glyph)).not.toContain('forced');
    expect(legendEntries(model, { forced: true }).at(-1)).toEqual({ glyph: 'forced', label: 're-created by a forced change' });
  });
});

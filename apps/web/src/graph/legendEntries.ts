import type { GraphModel } from './graphModel';

/** One line of the legend: the glyph it draws and its words. */
export interface LegendEntry {
  glyph: 'free' | 'held' | 'unavailable' | 'pending' | 'forced';
  label: string;
}

export const IOMMU_OFF_WORDS = 'IOMMU off: no VF can be passed through';

/**
 * The legend of this host: only what its slots can show. No "free" and no "shared IOMMU group"
 * when the IOMMU is off (every VF is hatched, and the legend says why); "shared IOMMU group" only
 * when some VF shares its group; "held" only when the host has VMs or a VF is held; "pending"
 * only while a change waits for a VM's restart; "re-created by a forced change" only while this
 * tab marks such a VF.
 */
export function legendEntries(model: GraphModel, marks: { forced?: boolean } = {}): LegendEntry[] {
  const entries: LegendEntry[] = [];
  const vfs = [...model.vfByAddress.values()];
  if (model.iommuEnabled) {
    entries.push({ glyph: 'free', label: 'free' });
  }
  if (model.vms.length > 0 || model.counts.held > 0) entries.push({ glyph: 'held', label: 'held' });
  if (!model.iommuEnabled) entries.push({ glyph: 'unavailable', label: IOMMU_OFF_WORDS });
  else {
    if (vfs.some((v) => v.groupPeers.length > 0)) entries.push({ glyph: 'unavailable', label: 'shared IOMMU group' });
    if (vfs.some((v) => v.vf.iommuGroup === null)) entries.push({ glyph: 'unavailable', label: 'no IOMMU group' });
  }
  if (vfs.some((v) => v.pending)) entries.push({ glyph: 'pending', label: 'pending' });
  if (marks.forced) entries.push({ glyph: 'forced', label: 're-created by a forced change' });
  return entries;
}

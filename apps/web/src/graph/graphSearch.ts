import type { NodeId } from './nodeId';

/** What a search found (find/findInGraph.ts), as the graph's filtering and dimming use it. */
export interface SearchResult {
  query: string;
  matches: ReadonlySet<NodeId>;
  /** in drawing order: cards, PFs, VFs, VMs; the first is where the view goes. */
  ordered: readonly NodeId[];
  /** PFs that hold a matching VF; they open, or the match could not be seen. */
  pfsToExpand: ReadonlySet<string>;
}

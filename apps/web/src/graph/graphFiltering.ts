import type { CardNode, GraphModel, PfNode, VfNode, VmNode } from './graphModel';
import type { SearchResult } from './graphSearch';

/**
 * What is drawn, given the operator's choices: which PFs are collapsed to a summary bar, which
 * VF slots show (all, or only free ones), and which VM holds what through a visible slot.
 */

/** Above this many VFs a PF starts collapsed: 32 slots are one row of the strip. */
export const DEFAULT_COLLAPSE_ABOVE = 32;

export interface ViewOptions {
  onlyFree: boolean;
  /** the operator's explicit choice per PF: true open, false collapsed; absent = by size. */
  expansion: ReadonlyMap<string, boolean>;
  collapseAbove?: number;
  search: SearchResult | null;
}

export interface VisiblePf {
  node: PfNode;
  collapsed: boolean;
  /** the slots drawn, in VF index order; none when collapsed. */
  cells: VfNode[];
  /** slots the filter hides. */
  hidden: number;
}

export interface VisibleCard {
  node: CardNode;
  pfs: VisiblePf[];
}

export interface VisibleLane {
  node: number | null;
  cards: VisibleCard[];
}

/** A VM holding something through one PF: its visible slots, or the whole collapsed PF, or the PF itself. */
export interface Holding {
  vmId: string;
  pf: string;
  kind: 'vfs' | 'collapsed' | 'pf';
  vfs: VfNode[];
  pending: boolean;
}

export interface FilteredGraph {
  model: GraphModel;
  lanes: VisibleLane[];
  vms: VmNode[];
  holdings: Holding[];
  onlyFree: boolean;
}

/** The operator's own choice first; then a search opens the PFs it found VFs in; then size. */
export function isCollapsed(pf: PfNode, options: ViewOptions): boolean {
  const choice = options.expansion.get(pf.address);
  if (choice !== undefined) return !choice;
  if (options.search?.pfsToExpand.has(pf.address)) return false;
  return pf.vfs.length > (options.collapseAbove ?? DEFAULT_COLLAPSE_ABOVE);
}

export function filterGraph(model: GraphModel, options: ViewOptions): FilteredGraph {
  const holdings: Holding[] = [];

  const visiblePf = (node: PfNode): VisiblePf => {
    const collapsed = isCollapsed(node, options);
    const shown = options.onlyFree ? node.vfs.filter((v) => v.state === 'free') : node.vfs;
    const cells = collapsed ? [] : shown;

    if (node.pf.holder && !options.onlyFree) {
      holdings.push({ vmId: node.pf.holder.vmId, pf: node.address, kind: 'pf', vfs: [], pending: node.pf.holder.pending });
    }
    if (!options.onlyFree) {
      const byVm = new Map<string, VfNode[]>();
      for (const vf of node.vfs) {
        if (vf.holderVmId === null) continue;
        byVm.set(vf.holderVmId, [...(byVm.get(vf.holderVmId) ?? []), vf]);
      }
      for (const [vmId, vfs] of byVm) {
        holdings.push({ vmId, pf: node.address, kind: collapsed ? 'collapsed' : 'vfs', vfs, pending: vfs.some((v) => v.pending) });
      }
    }
    return { node, collapsed, cells, hidden: node.vfs.length - shown.length };
  };

  const lanes: VisibleLane[] = model.lanes.map((lane) => ({
    node: lane.node,
    cards: lane.cards.map((id) => {
      const card = model.cardById.get(id)!;
      return { node: card, pfs: card.pfs.map((a) => visiblePf(model.pfByAddress.get(a)!)) };
    }),
  }));

  return { model, lanes, vms: model.vms, holdings, onlyFree: options.onlyFree };
}

import type { Netdev } from '@vfmap/model';
import type { GraphModel } from './graphModel';
import { nodeId, type NodeId } from './nodeId';

/**
 * Search by PCI address (any part of it: "3b:02.1" finds 0000:3b:02.1), VM name or id, netdev
 * name or MAC. A MAC also matches when typed with other separators or none ("5254.0001.0203").
 */
export interface SearchResult {
  query: string;
  matches: ReadonlySet<NodeId>;
  /** in drawing order: cards, PFs, VFs, VMs; the first is where the view goes. */
  ordered: readonly NodeId[];
  /** PFs that hold a matching VF; they open, or the match could not be seen. */
  pfsToExpand: ReadonlySet<string>;
}

const MAC_SEPARATORS = /[:.-]/g;

function macMatches(mac: string | null, q: string, compactQ: string | null): boolean {
  if (!mac) return false;
  const m = mac.toLowerCase();
  if (m.includes(q)) return true;
  return compactQ !== null && m.replace(MAC_SEPARATORS, '').includes(compactQ);
}

function netdevMatches(netdevs: readonly Netdev[], q: string, compactQ: string | null): boolean {
  return netdevs.some((n) => n.name.toLowerCase().includes(q) || macMatches(n.mac, q, compactQ));
}

export function searchGraph(model: GraphModel, query: string): SearchResult | null {
  const q = query.trim().toLowerCase();
  if (q === '') return null;
  // Only a query that is a whole MAC in another notation is compared without separators; a
  // shorter one ("3b:02") would otherwise match MAC bytes by accident.
  const compact = q.replace(MAC_SEPARATORS, '');
  const compactQ = /^[0-9a-f]{12}$/.test(compact) ? compact : null;

  const ordered: NodeId[] = [];
  const pfsToExpand = new Set<string>();
  for (const card of model.cards) {
    if (card.id.includes(q)) ordered.push(nodeId.card(card.id));
  }
  const vfMatches: NodeId[] = [];
  for (const pf of model.pfs) {
    if (pf.address.includes(q) || netdevMatches(pf.pf.netdevs, q, compactQ)) ordered.push(nodeId.pf(pf.address));
    for (const vf of pf.vfs) {
      if (vf.address.includes(q) || netdevMatches(vf.vf.netdevs, q, compactQ)) {
        vfMatches.push(nodeId.vf(vf.address));
        pfsToExpand.add(pf.address);
      }
    }
  }
  ordered.push(...vfMatches);
  for (const vm of model.vms) {
    if (vm.vm.name.toLowerCase().includes(q) || vm.id.toLowerCase() === q) ordered.push(nodeId.vm(vm.id));
  }
  return { query: q, matches: new Set(ordered), ordered, pfsToExpand };
}

import type { Netdev } from '@vfmap/model';
import { shortDeviceName, shortVendorName } from '../format/deviceName';
import type { CardNode, GraphModel, PfNode, VfNode, VmNode } from '../graph/graphModel';
import type { SearchResult } from '../graph/graphSearch';
import { nodeId, type NodeId } from '../graph/nodeId';
import { matchAll, type FindSubject } from './findMatch';
import { parseFindQuery, type FindError, type FindTerm } from './findQuery';

/**
 * The search box's query over one host's graph: which cards, PFs, VFs and VMs it finds, what
 * stays lit while the rest dims (a found VF keeps its PF, card and VM lit, so it is seen where
 * it is), and what the box did not understand.
 */
export interface FindResult extends SearchResult {
  terms: readonly FindTerm[];
  errors: readonly FindError[];
  /** what stays at full strength; everything else dims. */
  lit: ReadonlySet<NodeId>;
  /** the edges of found VFs (layout edge ids are not known here: VM and PF pairs). */
  litHoldings: ReadonlySet<string>;
}

function names(...values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

/** A port's link speed: its fastest netdev that reports one (a down link reports none). */
export function linkSpeed(netdevs: readonly Netdev[]): number | null {
  let best: number | null = null;
  for (const n of netdevs) if (n.speedMbps !== null && n.speedMbps > 0 && (best === null || n.speedMbps > best)) best = n.speedMbps;
  return best;
}

function cardNames(card: CardNode) {
  const c = card.card;
  return {
    vendorNames: names(c.vendorName, shortVendorName(c.vendorName), c.vendorId),
    modelNames: names(c.deviceName, shortDeviceName(c.deviceName, c.vendorId, c.deviceId), c.deviceId),
  };
}

export function cardSubject(card: CardNode): FindSubject {
  return { address: card.id, numaNode: card.numaNode, ...cardNames(card) };
}

export function pfSubject(model: GraphModel, pf: PfNode): FindSubject {
  const p = pf.pf;
  const holder = p.holder ? { id: p.holder.vmId, name: p.holder.vmName } : null;
  return {
    address: pf.address,
    numaNode: p.numaNode,
    speedMbps: linkSpeed(p.netdevs),
    driver: p.driver,
    vendorNames: names(p.vendorName, shortVendorName(p.vendorName), p.vendorId),
    modelNames: names(p.deviceName, shortDeviceName(p.deviceName, p.vendorId, p.deviceId), p.deviceId, model.cardById.get(pf.cardId)?.label),
    vm: holder,
    iommuGroup: p.iommuGroup,
    netdevs: p.netdevs,
  };
}

/** A VF is what its PF's card is (vendor, model), on its PF's link, in its own NUMA node when sysfs says. */
export function vfSubject(model: GraphModel, vf: VfNode): FindSubject {
  const pf = model.pfByAddress.get(vf.pf);
  const card = pf ? model.cardById.get(pf.cardId) : undefined;
  const v = vf.vf;
  const holderName = v.holder?.vmName ?? (vf.holderVmId ? model.vmById.get(vf.holderVmId)?.vm.name : undefined);
  return {
    address: vf.address,
    numaNode: v.numaNode ?? pf?.pf.numaNode ?? null,
    speedMbps: (pf ? linkSpeed(pf.pf.netdevs) : null) ?? linkSpeed(v.netdevs),
    driver: v.driver,
    vendorNames: names(pf?.pf.vendorName, shortVendorName(pf?.pf.vendorName ?? null), v.vendorId, ...(card ? cardNames(card).vendorNames : [])),
    modelNames: names(pf?.pf.deviceName, pf ? shortDeviceName(pf.pf.deviceName, pf.pf.vendorId, pf.pf.deviceId) : null, v.deviceId, card?.label),
    state: vf.state,
    vm: vf.holderVmId ? { id: vf.holderVmId, name: holderName ?? vf.holderVmId } : null,
    iommuGroup: v.iommuGroup,
    netdevs: v.netdevs,
  };
}

export function vmSubject(vm: VmNode): FindSubject {
  return { vm: { id: vm.id, name: vm.vm.name }, numaNode: vm.numaNodes.length === 1 ? vm.numaNodes[0]! : undefined };
}

interface Subjects {
  cards: FindSubject[];
  pfs: FindSubject[];
  vfs: Map<string, FindSubject>;
  vms: FindSubject[];
}

/** Worked out once per topology, not per keystroke: 2048 VFs' names are shortened once. */
const subjectsByModel = new WeakMap<GraphModel, Subjects>();

function subjectsOf(model: GraphModel): Subjects {
  let subjects = subjectsByModel.get(model);
  if (!subjects) {
    subjects = {
      cards: model.cards.map(cardSubject),
      pfs: model.pfs.map((pf) => pfSubject(model, pf)),
      vfs: new Map([...model.vfByAddress.values()].map((vf) => [vf.address, vfSubject(model, vf)])),
      vms: model.vms.map(vmSubject),
    };
    subjectsByModel.set(model, subjects);
  }
  return subjects;
}

export function findInGraph(model: GraphModel, text: string): FindResult | null {
  const query = parseFindQuery(text);
  if (query.terms.length === 0 && query.errors.length === 0) return null;
  const { terms, errors } = query;
  const ordered: NodeId[] = [];
  const lit = new Set<NodeId>();
  const litHoldings = new Set<string>();
  const pfsToExpand = new Set<string>();
  // Only errors: nothing is found, and nothing dims either: the line under the box says why.
  if (terms.length === 0) return { query: text.trim(), terms, errors, matches: new Set(), ordered, pfsToExpand, lit, litHoldings };

  const subjects = subjectsOf(model);
  model.cards.forEach((card, i) => {
    if (matchAll(terms, subjects.cards[i]!)) {
      ordered.push(nodeId.card(card.id));
      lit.add(nodeId.card(card.id));
    }
  });
  const vfMatches: NodeId[] = [];
  model.pfs.forEach((pf, i) => {
    const litPf = () => {
      lit.add(nodeId.pf(pf.address));
      lit.add(nodeId.bar(pf.address));
      lit.add(nodeId.card(pf.cardId));
    };
    if (matchAll(terms, subjects.pfs[i]!)) {
      ordered.push(nodeId.pf(pf.address));
      litPf();
      if (pf.pf.holder) {
        lit.add(nodeId.vm(pf.pf.holder.vmId));
        litHoldings.add(`${pf.pf.holder.vmId} ${pf.address}`);
      }
    }
    for (const vf of pf.vfs) {
      if (!matchAll(terms, subjects.vfs.get(vf.address)!)) continue;
      const id = nodeId.vf(vf.address);
      vfMatches.push(id);
      lit.add(id);
      litPf();
      pfsToExpand.add(pf.address);
      if (vf.holderVmId) {
        lit.add(nodeId.vm(vf.holderVmId));
        litHoldings.add(`${vf.holderVmId} ${pf.address}`);
      }
    }
  });
  ordered.push(...vfMatches);
  model.vms.forEach((vm, i) => {
    if (matchAll(terms, subjects.vms[i]!)) {
      ordered.push(nodeId.vm(vm.id));
      lit.add(nodeId.vm(vm.id));
    }
  });
  return { query: text.trim(), terms, errors, matches: new Set(ordered), ordered, pfsToExpand, lit, litHoldings };
}

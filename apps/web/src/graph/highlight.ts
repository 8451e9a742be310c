import type { GraphModel } from './graphModel';
import type { Layout } from './graphLayout';
import { nodeId, parseNodeId, type NodeId } from './nodeId';

/**
 * What lights up when a node is hovered: a VF with its VM, its edge and its IOMMU group
 * members; a VM with everything it holds; a PF or card with its slots and their VMs.
 */
export interface Related {
  nodes: ReadonlySet<NodeId>;
  edges: ReadonlySet<string>;
}

export function relatedTo(model: GraphModel, layout: Layout, id: NodeId): Related {
  const nodes = new Set<NodeId>([id]);
  const edges = new Set<string>();
  const parsed = parseNodeId(id);
  if (!parsed) return { nodes, edges };

  const addPf = (address: string) => {
    nodes.add(nodeId.pf(address));
    nodes.add(nodeId.bar(address));
  };
  const addPfWithSlots = (address: string) => {
    addPf(address);
    const pf = model.pfByAddress.get(address);
    if (!pf) return;
    for (const vf of pf.vfs) {
      nodes.add(nodeId.vf(vf.address));
      if (vf.holderVmId) nodes.add(nodeId.vm(vf.holderVmId));
    }
    if (pf.pf.holder) nodes.add(nodeId.vm(pf.pf.holder.vmId));
    for (const e of layout.edges) if (e.pf === address) edges.add(e.id);
  };
  const addDevice = (address: string) => {
    if (model.vfByAddress.has(address)) nodes.add(nodeId.vf(address));
    if (model.pfByAddress.has(address)) addPf(address);
  };

  switch (parsed.kind) {
    case 'vf': {
      const vf = model.vfByAddress.get(parsed.key);
      if (!vf) break;
      addPf(vf.pf);
      if (vf.holderVmId) nodes.add(nodeId.vm(vf.holderVmId));
      for (const peer of vf.groupPeers) addDevice(peer);
      for (const e of layout.edges) if (e.vfs.includes(vf.address)) edges.add(e.id);
      break;
    }
    case 'vm': {
      const vm = model.vmById.get(parsed.key);
      if (!vm) break;
      for (const address of vm.vfs) {
        nodes.add(nodeId.vf(address));
        const vf = model.vfByAddress.get(address);
        if (vf) addPf(vf.pf);
      }
      for (const address of vm.devices) addDevice(address);
      for (const e of layout.edges) if (e.vmId === vm.id) edges.add(e.id);
      break;
    }
    case 'pf':
    case 'bar': {
      const pf = model.pfByAddress.get(parsed.key);
      if (!pf) break;
      nodes.add(nodeId.card(pf.cardId));
      addPfWithSlots(pf.address);
      for (const peer of pf.groupPeers) addDevice(peer);
      break;
    }
    case 'card': {
      const card = model.cardById.get(parsed.key);
      if (!card) break;
      for (const pf of card.pfs) addPfWithSlots(pf);
      break;
    }
  }
  return { nodes, edges };
}

/** Quotes a value for a CSS attribute selector; ids come from the agent and may hold anything. */
function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ')}"`;
}

/**
 * A style rule that applies `declarations` to the given nodes and edges. The graph changes
 * highlight through one small stylesheet instead of re-rendering thousands of slots.
 */
export function cssFor(scope: string, nodes: Iterable<string>, edges: Iterable<string>, declarations: string): string {
  const selectors: string[] = [];
  for (const n of nodes) selectors.push(nodeSelector(scope, n));
  for (const e of edges) selectors.push(edgeSelector(scope, e));
  return ruleOf(selectors, declarations);
}

export function edgeSelector(scope: string, id: string): string {
  return `${scope} [data-edge=${cssString(id)}]`;
}

export function nodeSelector(scope: string, id: string): string {
  return `${scope} [data-node=${cssString(id)}]`;
}

/** Outlines reach a slot itself (`.cell`) or the box drawn inside a node's group (`> .box`). */
export function outlineCss(scope: string, nodes: Iterable<string>, declarations: string): string {
  const selectors: string[] = [];
  for (const n of nodes) selectors.push(`${nodeSelector(scope, n)}.cell`, `${nodeSelector(scope, n)} > .box`);
  return ruleOf(selectors, declarations);
}

function ruleOf(selectors: string[], declarations: string): string {
  if (selectors.length === 0) return '';
  return `${selectors.join(',\n')} { ${declarations} }`;
}

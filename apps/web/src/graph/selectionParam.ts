import type { GraphModel } from './graphModel';
import { nodeId, parseNodeId, type NodeId } from './nodeId';

/**
 * The selection as the address bar keeps it (`?select=`): a PF's or VF's PCI address as it is,
 * anything else as its node id ("vm:101", "card:0000:3b:00"). A collapsed PF's summary bar is
 * its PF.
 */
export function selectionParam(id: NodeId | null): string | null {
  if (id === null) return null;
  const parsed = parseNodeId(id);
  if (!parsed) return null;
  if (parsed.kind === 'vf' || parsed.kind === 'pf' || parsed.kind === 'bar') return parsed.key;
  return id;
}

/** The node a `?select=` names in this host's model; null when the host has no such thing (any more). */
export function selectionFromParam(model: GraphModel, param: string): NodeId | null {
  const address = param.toLowerCase();
  if (model.vfByAddress.has(address)) return nodeId.vf(address);
  if (model.pfByAddress.has(address)) return nodeId.pf(address);
  const parsed = parseNodeId(param);
  if (!parsed) return null;
  switch (parsed.kind) {
    case 'vm':
      return model.vmById.has(parsed.key) ? nodeId.vm(parsed.key) : null;
    case 'card':
      return model.cardById.has(parsed.key) ? nodeId.card(parsed.key) : null;
    case 'vf':
    case 'pf':
    case 'bar':
      return selectionFromParam(model, parsed.key);
  }
}

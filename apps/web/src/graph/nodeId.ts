/**
 * Every drawn node has one id, used for selection, hover, search matches, keyboard focus and the
 * DOM (`data-node`). The prefix says the kind, so one string travels through all of them.
 */
export type NodeKind = 'card' | 'pf' | 'vf' | 'vm' | 'bar';

export type NodeId = `${NodeKind}:${string}`;

export const nodeId = {
  card: (slot: string): NodeId => `card:${slot}`,
  pf: (address: string): NodeId => `pf:${address}`,
  vf: (address: string): NodeId => `vf:${address}`,
  vm: (id: string): NodeId => `vm:${id}`,
  /** the summary bar of a collapsed PF: a node of its own, because Enter on it expands. */
  bar: (pfAddress: string): NodeId => `bar:${pfAddress}`,
};

export function parseNodeId(id: string): { kind: NodeKind; key: string } | null {
  const colon = id.indexOf(':');
  if (colon < 0) return null;
  const kind = id.slice(0, colon);
  if (kind !== 'card' && kind !== 'pf' && kind !== 'vf' && kind !== 'vm' && kind !== 'bar') return null;
  return { kind, key: id.slice(colon + 1) };
}

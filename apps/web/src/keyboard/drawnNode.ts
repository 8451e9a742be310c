import type { Layout } from '../graph/graphLayout';
import type { GraphModel } from '../graph/graphModel';
import { nodeId, parseNodeId, type NodeId } from '../graph/nodeId';

/**
 * The drawn item that stands for `id` now: itself when drawn; for a VF the filter hides or whose
 * PF is collapsed, its PF's bar or label; for a bar whose PF was expanded (or a PF label asked
 * for by its bar), the PF label. Null when nothing of it is on the graph (another view's item,
 * a VF a count change removed with its PF gone too).
 */
export function drawnNode(layout: Layout, model: GraphModel, id: NodeId): NodeId | null {
  if (layout.boxById.has(id)) return id;
  const parsed = parseNodeId(id);
  if (!parsed) return null;
  const pf = parsed.kind === 'vf' ? model.vfByAddress.get(parsed.key)?.pf : parsed.kind === 'bar' ? parsed.key : null;
  if (!pf) return null;
  for (const candidate of [nodeId.bar(pf), nodeId.pf(pf)]) {
    if (layout.boxById.has(candidate)) return candidate;
  }
  return null;
}

import { useMemo } from 'react';
import { cspNonce } from '../../cspNonce';
import type { FindResult } from '../../find/findInGraph';
import type { Layout } from '../../graph/graphLayout';
import { cssFor } from '../../graph/highlight';
import { nodeId } from '../../graph/nodeId';

/**
 * While a search holds, the graph dims what it did not find: one stylesheet, as the hover
 * highlight does, rather than a re-render of thousands of slots. Its selectors are weaker than
 * the hover's (`[data-graph].dimming`), so hovering still lights what it lights.
 */
export function findDimmingCss(result: FindResult | null, layout: Layout): string {
  if (!result || result.terms.length === 0) return '';
  const edges = layout.edges
    .filter((e) => result.litHoldings.has(`${e.vmId} ${e.pf}`) && (e.vfs.length === 0 || e.vfs.some((v) => result.lit.has(nodeId.vf(v)))))
    .map((e) => e.id);
  return [
    '.graph [data-node], .graph [data-edge] { opacity: 0.22 }',
    '.graph .marks { opacity: 0.3 }',
    cssFor('.graph', result.lit, edges, 'opacity: 1'),
    // A PF's free-slot dots are one path: they stay bright in the PFs where VFs were found.
    [...result.pfsToExpand].map((pf) => `.graph .pf-row:has(> [data-pf="${pf}"]) .marks`).join(',\n') + (result.pfsToExpand.size > 0 ? ' { opacity: 1 }' : ''),
  ]
    .filter(Boolean)
    .join('\n');
}

export function FindDimming({ result, layout }: { result: FindResult | null; layout: Layout }) {
  const css = useMemo(() => findDimmingCss(result, layout), [result, layout]);
  if (css === '') return null;
  return <style nonce={cspNonce()} data-find-dimming="">{css}</style>;
}

import { useEffect, useRef } from 'react';
import type { OperationKind } from '@vfmap/model';
import type { WriteInFlight } from '../api/useWrites';
import type { GraphModel } from '../graph/graphModel';
import { nodeId, type NodeId } from '../graph/nodeId';
import { dialogOpen, focusIsFree, requestGraphFocus } from './graphFocus';

/** The writes after which the focus goes to the item written, and which item that is. */
const WRITTEN_ITEM: Partial<Record<OperationKind, 'pf' | 'vf'>> = {
  numvfs: 'pf',
  assign: 'vf',
  release: 'vf',
  vfconfig: 'vf',
  vfdriver: 'vf',
};

/** How many frames to wait for the dialog that sent a write to close before giving up. */
const FRAMES_FOR_THE_DIALOG = 30;

/**
 * After the page sends a count change, an assignment, a release or a VF's settings, the focus
 * goes to the item written, in the graph: the dialog that sent it has closed and the button that
 * opened it is disabled while the write runs, so the focus would otherwise fall to the page's
 * top. Only when the focus is free (on the body, in the details panel or in the graph): an
 * operator who went on to the search box keeps it.
 */
export function useFocusAfterWrite(inFlight: readonly WriteInFlight[], model: GraphModel | null): void {
  const seen = useRef(new Set<string>());
  const modelRef = useRef(model);
  modelRef.current = model;
  useEffect(() => {
    for (const write of inFlight) {
      const key = `${write.kind}|${write.target}|${write.submittedAt}`;
      if (seen.current.has(key)) continue;
      seen.current.add(key);
      const id = writtenItem(write, modelRef.current);
      if (id) focusWhenFree(id, FRAMES_FOR_THE_DIALOG);
    }
  }, [inFlight]);
}

function writtenItem(write: WriteInFlight, model: GraphModel | null): NodeId | null {
  const kind = WRITTEN_ITEM[write.kind];
  if (!kind || !model) return null;
  if (kind === 'pf') return model.pfByAddress.has(write.target) ? nodeId.pf(write.target) : null;
  return model.vfByAddress.has(write.target) ? nodeId.vf(write.target) : null;
}

function focusWhenFree(id: NodeId, frames: number): void {
  requestAnimationFrame(() => {
    if (dialogOpen()) {
      if (frames > 0) focusWhenFree(id, frames - 1);
      return;
    }
    if (focusIsFree()) requestGraphFocus(id);
  });
}

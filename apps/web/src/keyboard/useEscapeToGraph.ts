import { useEffect, useRef } from 'react';
import type { NodeId } from '../graph/nodeId';
import { dialogOpen, requestGraphFocus } from './graphFocus';

/**
 * Escape in the details panel closes it (clears the selection) and puts the focus back on the
 * item it showed, in the graph. (Escape on the graph item itself clears the selection there;
 * a dialog's Escape cancels the dialog and nothing else.)
 */
export function useEscapeToGraph(selected: NodeId | null, clear: () => void): void {
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const clearRef = useRef(clear);
  clearRef.current = clear;
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || dialogOpen()) return;
      const id = selectedRef.current;
      if (!id || !(e.target instanceof Element) || !e.target.closest('aside.details')) return;
      e.preventDefault();
      clearRef.current();
      requestGraphFocus(id);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}

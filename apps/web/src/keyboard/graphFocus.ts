import type { NodeId } from '../graph/nodeId';

/**
 * Asking the graph to put the keyboard focus on one of its items from elsewhere on the page (the
 * skip link, Escape in the details panel, the end of a write): a DOM event the graph listens to,
 * so the asker needs no handle on the graph and the graph pans the item into view itself.
 */
const EVENT = 'vfmap:focus-graph';

/** Focus `id` in the graph (null: the graph itself, or the item the keyboard was last on). */
export function requestGraphFocus(id: NodeId | null): void {
  window.dispatchEvent(new CustomEvent<NodeId | null>(EVENT, { detail: id }));
}

/** Listens for focus requests while mounted; returns the function that removes the listener. */
export function onGraphFocusRequest(handler: (id: NodeId | null) => void): () => void {
  const listener = (e: Event) => handler((e as CustomEvent<NodeId | null>).detail);
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}

/** Something modal is open: focus belongs to it, and it gives focus back when it closes. */
export function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

/**
 * Focus is nowhere the operator chose: on the page's body (its element was removed or
 * disabled), in the details panel whose controls just acted, or already in the graph.
 */
export function focusIsFree(): boolean {
  const el = document.activeElement;
  return el === null || el === document.body || el.closest('aside.details, [data-graph]') !== null;
}

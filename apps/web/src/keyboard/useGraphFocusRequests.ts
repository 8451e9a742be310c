import { useEffect, useRef } from 'react';
import type { NodeId } from '../graph/nodeId';
import { onGraphFocusRequest } from './graphFocus';

/** The graph's side of requestGraphFocus: `handler` (the latest one) runs for each request. */
export function useGraphFocusRequests(handler: (id: NodeId | null) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => onGraphFocusRequest((id) => ref.current(id)), []);
}

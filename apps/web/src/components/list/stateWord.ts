import type { VfState } from '../../graph/graphModel';

/** What the list calls a VF's state: the words of the legend. */
export function stateWord(state: VfState): 'free' | 'held' | 'unavailable' {
  return state === 'assigned' ? 'held' : state;
}

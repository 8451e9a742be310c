import { renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeId } from '../graph/nodeId';
import { onGraphFocusRequest } from './graphFocus';
import { useEscapeToGraph } from './useEscapeToGraph';

afterEach(() => {
  document.body.innerHTML = '';
});

function escapeOn(el: Element): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
  el.dispatchEvent(e);
  return e;
}

describe('useEscapeToGraph', () => {
  const page = () => {
    document.body.innerHTML = '<input id="search"><aside class="details"><button id="in-details">Copy</button></aside>';
    return { inDetails: document.getElementById('in-details')!, search: document.getElementById('search')! };
  };

  it('closes the details on Escape inside them and asks the graph to focus the item they showed', () => {
    const { inDetails } = page();
    const clear = vi.fn();
    const asked: (string | null)[] = [];
    const stop = onGraphFocusRequest((id) => asked.push(id));
    renderHook(() => useEscapeToGraph('vf:0000:3b:02.0', clear));
    expect(escapeOn(inDetails).defaultPrevented).toBe(true);
    stop();
    expect(clear).toHaveBeenCalledOnce();
    expect(asked).toEqual(['vf:0000:3b:02.0']);
  });

  it('leaves Escape elsewhere, with nothing selected, or under a modal dialog alone', () => {
    const { inDetails, search } = page();
    const clear = vi.fn();
    const { rerender } = renderHook(({ selected }) => useEscapeToGraph(selected, clear), { initialProps: { selected: 'pf:0000:3b:00.0' as NodeId | null } });
    escapeOn(search);
    document.body.insertAdjacentHTML('beforeend', '<div role="dialog" aria-modal="true"></div>');
    escapeOn(inDetails);
    document.querySelector('[role="dialog"]')!.remove();
    rerender({ selected: null });
    escapeOn(inDetails);
    expect(clear).not.toHaveBeenCalled();
  });
});

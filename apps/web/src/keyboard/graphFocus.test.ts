import { afterEach, describe, expect, it } from 'vitest';
import { dialogOpen, focusIsFree, onGraphFocusRequest, requestGraphFocus } from './graphFocus';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('graph focus requests', () => {
  it('reach the listener with the item asked for, until it stops listening', () => {
    const asked: (string | null)[] = [];
    const stop = onGraphFocusRequest((id) => asked.push(id));
    requestGraphFocus('vf:0000:3b:02.0');
    requestGraphFocus(null);
    stop();
    requestGraphFocus('pf:0000:3b:00.0');
    expect(asked).toEqual(['vf:0000:3b:02.0', null]);
  });

  it('see a modal dialog as holding the focus, and only a modal one', () => {
    document.body.innerHTML = '<div role="dialog"></div>';
    expect(dialogOpen()).toBe(false);
    document.body.innerHTML = '<div role="dialog" aria-modal="true"><button>OK</button></div>';
    expect(dialogOpen()).toBe(true);
  });

  it('take the focus only from the body, the details panel or the graph', () => {
    document.body.innerHTML = `
      <input type="search" id="search">
      <aside class="details"><button id="apply">Apply</button></aside>
      <div data-graph="g" tabindex="0"><svg><rect id="vf" data-node="vf:x" tabindex="-1"></rect></svg></div>`;
    (document.activeElement as HTMLElement | null)?.blur();
    expect(focusIsFree()).toBe(true);
    document.getElementById('apply')!.focus();
    expect(focusIsFree()).toBe(true);
    (document.getElementById('vf') as unknown as SVGElement).focus();
    expect(focusIsFree()).toBe(true);
    document.getElementById('search')!.focus();
    expect(focusIsFree()).toBe(false);
  });
});

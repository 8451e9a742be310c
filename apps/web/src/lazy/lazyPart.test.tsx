import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { lazyPart, preloadParts } from './lazyPart';

/** A module fetch the test lets through (or fails) when it wants. */
function controlledLoad<P extends object>(component: (props: P) => React.ReactElement) {
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  let calls = 0;
  const load = () =>
    new Promise<(props: P) => React.ReactElement>((resolve, reject) => {
      calls += 1;
      settle = { resolve: () => resolve(component), reject };
    });
  return { load, settle: () => settle, calls: () => calls };
}

describe('lazyPart', () => {
  it('shows the fallback while its chunk is on the way, then the part, keeping the props', async () => {
    const chunk = controlledLoad(({ who }: { who: string }) => <p>details of {who}</p>);
    const Details = lazyPart('details', chunk.load, <p>loading details</p>);
    render(<Details who="0000:3b:02.1" />);
    expect(screen.getByText('loading details')).toBeInTheDocument();
    await act(async () => chunk.settle().resolve());
    expect(await screen.findByText('details of 0000:3b:02.1')).toBeInTheDocument();
    expect(screen.queryByText('loading details')).toBeNull();
  });

  it('renders at once, without a fallback, once preloaded; the chunk is fetched once', async () => {
    const chunk = controlledLoad(() => <p>the dialog</p>);
    const Dialog = lazyPart('dialog', chunk.load, <p>loading</p>);
    const preloaded = Dialog.preload();
    chunk.settle().resolve();
    await preloaded;
    await preloadParts();
    render(<Dialog />);
    expect(screen.getByText('the dialog')).toBeInTheDocument();
    expect(chunk.calls()).toBe(1);
  });

  it('says the part could not be loaded and offers a reload; the next mount fetches again', async () => {
    const chunk = controlledLoad(() => <p>the history</p>);
    const History = lazyPart('history', chunk.load);
    const first = render(<History />);
    await act(async () => chunk.settle().reject(new Error('Failed to fetch dynamically imported module')));
    expect(await screen.findByRole('alert')).toHaveTextContent('The history could not be loaded: Failed to fetch dynamically imported module');
    expect(screen.getByRole('button', { name: 'Reload the page' })).toBeInTheDocument();
    first.unmount();

    render(<History />);
    await act(async () => chunk.settle().resolve());
    expect(await screen.findByText('the history')).toBeInTheDocument();
    expect(chunk.calls()).toBe(2);
  });

  it('keeps the state of a part that mounted before its chunk was in, through later renders', async () => {
    function Counter({ label }: { label: string }) {
      const [n, setN] = useState(0);
      return (
        <button type="button" onClick={() => setN(n + 1)}>
          {label} {n}
        </button>
      );
    }
    const chunk = controlledLoad(Counter);
    const Part = lazyPart('counter', chunk.load);
    const view = render(<Part label="clicked" />);
    await act(async () => chunk.settle().resolve());
    fireEvent.click(await screen.findByRole('button', { name: 'clicked 0' }));
    expect(screen.getByRole('button', { name: 'clicked 1' })).toBeInTheDocument();
    // The parent renders again (a topology refetch): the part keeps its state.
    view.rerender(<Part label="still" />);
    expect(screen.getByRole('button', { name: 'still 1' })).toBeInTheDocument();
  });
});

import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { filterGraph, type ViewOptions } from '../../graph/graphFiltering';
import { buildGraphModel } from '../../graph/graphModel';
import { labTopology } from '../../test/fixtures';
import { TopologyList } from './TopologyList';

function renderList(options: Partial<ViewOptions> = {}) {
  const model = buildGraphModel(labTopology());
  const graph = filterGraph(model, { onlyFree: false, expansion: new Map(model.pfs.map((p) => [p.address, true])), search: null, ...options });
  const onSelect = vi.fn();
  const onToggle = vi.fn();
  render(<TopologyList graph={graph} isSelected={() => false} onSelect={onSelect} onToggle={onToggle} />);
  return { model, onSelect, onToggle };
}

describe('TopologyList', () => {
  it('lists every VF of every PF under its card, with its state in the legend\'s words and its holder', () => {
    const { model } = renderList();
    const rows = document.querySelectorAll('[data-list-vf]');
    expect(rows).toHaveLength(model.counts.total);
    const held = model.pfs.flatMap((p) => p.vfs).find((v) => v.vf.holder)!;
    const row = document.querySelector(`[data-list-vf="${held.address}"]`)!;
    expect(row.textContent).toContain('held');
    expect(row.textContent).toContain(held.vf.holder!.vmName);
    const free = model.pfs.flatMap((p) => p.vfs).find((v) => v.state === 'free')!;
    expect(document.querySelector(`[data-list-vf="${free.address}"]`)!.textContent).toContain('free');
    for (const card of model.cards) expect(screen.getByRole('region', { name: `card ${card.id}` })).toBeInTheDocument();
  });

  it('selects a VF, and a PF from its count button', () => {
    const { model, onSelect } = renderList();
    const vf = model.pfs.flatMap((p) => p.vfs)[0]!;
    fireEvent.click(document.querySelector(`[data-list-vf="${vf.address}"]`)!);
    expect(onSelect).toHaveBeenLastCalledWith('vf', vf.address);
    const pf = model.pfs.find((p) => p.pf.totalVfs > 0 && !p.pf.holder)!;
    fireEvent.click(screen.getByRole('button', { name: `Change the VF count of ${pf.label}` }));
    expect(onSelect).toHaveBeenLastCalledWith('pf', pf.address);
  });

  it('shows only free VFs under the filter, and folds a PF as the graph does', () => {
    const { model, onToggle } = renderList({ onlyFree: true });
    const states = [...document.querySelectorAll('[data-list-vf]')].map((e) => e.getAttribute('data-state'));
    expect(states.length).toBe(model.counts.free);
    expect(new Set(states)).toEqual(new Set(['free']));
    const pf = model.pfs.find((p) => p.vfs.length > 0)!;
    const item = document.querySelector(`[data-list-pf="${pf.address}"]`) as HTMLElement;
    fireEvent.click(within(item).getByRole('button', { name: 'Fold the VFs' }));
    expect(onToggle).toHaveBeenCalledWith(pf.address);
  });
});

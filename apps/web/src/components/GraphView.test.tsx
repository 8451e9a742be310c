import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { filterGraph, type ViewOptions } from '../graph/graphFiltering';
import { layoutGraph } from '../graph/graphLayout';
import { buildGraphModel } from '../graph/graphModel';
import type { NodeId } from '../graph/nodeId';
import { driftTopology, labTopology, labVf, largeTopology } from '../test/fixtures';
import { driftFinding } from '../test/topologyBuilder';
import { GraphView } from './GraphView';

function renderGraph(topology = labTopology(), options: Partial<ViewOptions> = {}, selected: NodeId | null = null) {
  const model = buildGraphModel(topology);
  const layout = layoutGraph(filterGraph(model, { onlyFree: false, expansion: new Map(), search: null, ...options }));
  const onSelect = vi.fn();
  const onToggle = vi.fn();
  const utils = render(
    <GraphView
      model={model}
      layout={layout}
      selected={selected}
      onSelect={onSelect}
      onToggle={onToggle}
      matches={new Set()}
      zoomRequest={null}
      fitKey="h"
      operations={new Map()}
      label="topology"
    />,
  );
  return { ...utils, onSelect, onToggle, model, layout };
}

const styleText = () => document.querySelector('.graph style')!.textContent ?? '';

describe('GraphView', () => {
  it('gives every drawn PF, VF and VM the attributes the end-to-end tests rely on', () => {
    renderGraph();
    expect(document.querySelectorAll('[data-pf]')).toHaveLength(6);
    const vfs = [...document.querySelectorAll('[data-vf]')];
    // 8 + 16 + 7 slots; the 64 of E810 port 0 are folded into its bar.
    expect(vfs).toHaveLength(31);
    for (const vf of vfs) expect(['free', 'assigned', 'unavailable']).toContain(vf.getAttribute('data-state'));
    expect(document.querySelectorAll('[data-vm]')).toHaveLength(6);
    expect(document.querySelector('[data-vf="0000:d8:10.0"]')).toHaveAttribute('data-state', 'unavailable');
  });

  it('draws a collapsed PF as one bar and no slot elements, even for the large profile', () => {
    renderGraph(largeTopology());
    expect(document.querySelectorAll('[data-vf]')).toHaveLength(0);
    expect(document.querySelectorAll('[data-bar]')).toHaveLength(8);
    expect(screen.getAllByRole('button', { name: /free · \d+ held · \d+ VFs\s*— click to show the slots/ })).toHaveLength(8);
    expect(document.querySelector('[data-bar]')).toHaveAttribute('aria-description', expect.stringMatching(/collapsed; press Enter to show every slot$/));
  });

  it('expands a collapsed PF when its bar is clicked, and selects what is clicked', () => {
    const { onToggle, onSelect } = renderGraph();
    fireEvent.click(document.querySelector('[data-bar="0000:3b:00.0"] rect')!);
    expect(onToggle).toHaveBeenCalledWith('0000:3b:00.0');
    fireEvent.click(document.querySelector('[data-vf="0000:3b:12.3"]')!);
    expect(onSelect).toHaveBeenCalledWith('vf:0000:3b:12.3');
    fireEvent.click(document.querySelector('[data-vm="110"] rect')!);
    expect(onSelect).toHaveBeenLastCalledWith('vm:110');
  });

  it('lights a hovered VF with its VM and edge and dims the rest', () => {
    renderGraph();
    const graph = screen.getByRole('application');
    expect(graph).not.toHaveClass('dimming');
    fireEvent.pointerOver(document.querySelector('[data-vf="0000:af:00.2"]')!);
    expect(graph).toHaveClass('dimming');
    const css = styleText();
    expect(css).toMatch(/\[data-node="vm:110"\]/);
    expect(css).toMatch(/\[data-node="pf:0000:af:00.0"\]/);
    expect(css).toMatch(/\[data-edge="0000:af:00.0\|row\d+\|110"\]/);
    expect(css).not.toMatch(/\[data-node="vm:101"\]/);
    expect(screen.getByRole('tooltip')).toHaveTextContent('VF 0 · 0000:af:00.2');
    expect(screen.getByRole('tooltip')).toHaveTextContent('held by nfv-router (hostpci4)');
    fireEvent.pointerLeave(document.querySelector('.graph-surface')!);
    expect(graph).not.toHaveClass('dimming');
  });

  it('outlines the selected node', () => {
    renderGraph(labTopology(), {}, 'vf:0000:3b:12.3');
    expect(styleText()).toMatch(/\[data-node="vf:0000:3b:12.3"\]\.cell/);
  });

  it('moves between nodes with the arrow keys, selects with Enter and clears with Escape', () => {
    const { onSelect } = renderGraph();
    const graph = screen.getByRole('application');
    graph.focus();
    fireEvent.keyDown(graph, { key: 'ArrowDown' });
    expect(document.activeElement).toHaveAttribute('data-node', 'card:0000:3b:00');
    fireEvent.keyDown(graph, { key: 'ArrowDown' });
    expect(document.activeElement).toHaveAttribute('data-pf', '0000:3b:00.0');
    fireEvent.keyDown(graph, { key: 'ArrowDown' });
    fireEvent.keyDown(graph, { key: 'ArrowRight' });
    expect(document.activeElement).toHaveAttribute('data-vf', '0000:3b:12.0');
    fireEvent.keyDown(graph, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith('vf:0000:3b:12.0');
    fireEvent.keyDown(graph, { key: 'Escape' });
    expect(onSelect).toHaveBeenLastCalledWith(null);
  });

  it('expands a collapsed PF from the keyboard', () => {
    const { onToggle } = renderGraph();
    const graph = screen.getByRole('application');
    graph.focus();
    fireEvent.keyDown(graph, { key: 'ArrowDown' });
    fireEvent.keyDown(graph, { key: 'ArrowDown' });
    fireEvent.keyDown(graph, { key: 'ArrowRight' });
    expect(document.activeElement).toHaveAttribute('data-bar', '0000:3b:00.0');
    fireEvent.keyDown(graph, { key: 'Enter' });
    expect(onToggle).toHaveBeenCalledWith('0000:3b:00.0');
  });

  it('names nodes by the text they show and describes them in full for screen readers', () => {
    renderGraph();
    const vm = screen.getByRole('button', { name: /^nfv-router\s*running\s*VM 110 · 6 VFs/ });
    expect(vm).toHaveAttribute('aria-description', 'VM 110 nfv-router, running, 6 VFs, spans NUMA nodes 0 and 1');
    expect(screen.getByRole('button', { name: /^VF 3 · 0000:3b:12.3, free, driver iavf/ })).toBeInTheDocument();
  });

  it('marks each drawn slot a drift finding names, by its worst severity, and a click on the mark selects the VF', () => {
    const { onSelect } = renderGraph(driftTopology());
    const badges = [...document.querySelectorAll<SVGElement>('[data-drift-badge]')];
    // E810 port 0 is collapsed: its two findings are on its bar, not on slots.
    expect(badges.map((b) => [b.dataset.driftBadge, b.dataset.severity])).toEqual([
      [labVf.e810p1(2), 'info'],
      [labVf.e810p1(3), 'warn'],
      [labVf.cx6p0(4), 'warn'],
      [labVf.i350p0(5), 'fail'],
    ]);
    expect(screen.getByRole('img', { name: `Config and reality differ: ${labVf.e810p1(3)} is bound to vfio-pci, and nothing holds or configures it` })).toBe(badges[1]);
    // The slot itself says it too, for whoever moves through the graph with the keyboard.
    expect(document.querySelector(`[data-vf="${labVf.i350p0(5)}"]`)!.getAttribute('aria-label')).toContain(`Config and reality differ: db-01 holds ${labVf.i350p0(5)}`);
    fireEvent.click(badges[3]!);
    expect(onSelect).toHaveBeenCalledWith(`vf:${labVf.i350p0(5)}`);
    expect(document.querySelector('[data-bar="0000:3b:00.0"] [data-drift-count]')).toHaveTextContent('▲ 2 differ from config');
    expect(document.querySelectorAll('[data-drift-count]')).toHaveLength(4);
  });

  it('marks a PF label when a finding names the PF itself', () => {
    const lab = labTopology();
    const pf = '0000:af:00.1';
    renderGraph({ ...lab, drift: [driftFinding({ kind: 'vfio-bound-without-holder', severity: 'warn', address: pf, title: `${pf} is on vfio-pci, unused` })] });
    const badge = document.querySelector(`[data-pf="${pf}"] [data-drift-badge]`)!;
    expect(badge).toHaveAttribute('aria-label', `Config and reality differ: ${pf} is on vfio-pci, unused`);
    expect(document.querySelectorAll('[data-drift-badge]')).toHaveLength(1);
  });

  it("marks each VM a finding concerns (its own, or as the other VM) on its box, and a click selects the VM", () => {
    const topology = driftTopology();
    const { onSelect } = renderGraph(topology);
    const concerned = new Set(topology.drift.flatMap((f) => [f.vmId, f.otherVmId].filter((id): id is string => id !== null && id !== undefined)));
    const marked = [...document.querySelectorAll<SVGElement>('[data-vm-drift]')];
    expect(new Set(marked.map((m) => m.dataset.vmDrift))).toEqual(new Set([...concerned].filter((id) => document.querySelector(`[data-vm="${id}"]`))));
    expect(marked.length).toBeGreaterThan(0);
    const web = document.querySelector<SVGElement>('[data-vm="101"] [data-vm-drift]')!;
    expect(web.getAttribute('aria-label')).toMatch(/^Config and reality differ for VM web-01: /);
    fireEvent.click(web);
    expect(onSelect).toHaveBeenCalledWith('vm:101');
  });

  it('draws no drift mark on a host without drift', () => {
    renderGraph();
    expect(document.querySelectorAll('[data-drift-badge], [data-drift-count], [data-vm-drift]')).toHaveLength(0);
  });
});

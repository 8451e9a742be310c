import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import { labTopology } from '../test/fixtures';
import { DetailsPanel } from './DetailsPanel';

const address = '0000:af:00.2';

function renderVf(edit: (t: ReturnType<typeof labTopology>) => void = () => {}, forced = false) {
  const t = labTopology();
  edit(t);
  const model = buildGraphModel(t);
  const marks = forced ? new Map([[address, { vf: address, vmId: '110', vmName: 'nfv-router', operationId: 'op-1', at: '2026-12-06T20:00:00Z' }]]) : undefined;
  render(<DetailsPanel model={model} selected={`vf:${address}`} onSelect={vi.fn()} onToggle={vi.fn()} isCollapsed={() => true} forcedMarks={marks} />);
  return screen.getByRole('complementary', { name: 'details' });
}

describe('DetailsPanel says one true state', () => {
  it('shows a VF a running VM names but a host driver holds as one state with the warning', () => {
    const panel = renderVf((t) => {
      const vf = t.pfs.flatMap((p) => p.vfs).find((v) => v.address === address)!;
      vf.driver = 'mlx5_core';
      vf.holder = { ...vf.holder!, source: 'config' };
    });
    expect(within(panel).getByRole('note')).toHaveTextContent("VM config names this VF, but the host driver holds it: the VM's start or hot-plug failed");
    const text = panel.textContent ?? '';
    expect(text).not.toMatch(/Held by/);
    expect(text).not.toMatch(/Bound to the host driver/);
    expect(text).toMatch(/Named byVM 110 nfv-router/);
    expect(text).toMatch(/Statenamed by a VM, held by the host/);
  });

  it('says held by when the VF is in the VM, without a warning', () => {
    const panel = renderVf();
    expect(panel.textContent).toMatch(/Held byVM 110 nfv-router/);
    expect(within(panel).queryByRole('note')).toBeNull();
  });

  it('marks a VF a forced count change re-created under its VM', () => {
    const panel = renderVf(() => {}, true);
    expect(within(panel).getByRole('note')).toHaveTextContent(/Re-created under nfv-router by a forced count change/);
  });
});

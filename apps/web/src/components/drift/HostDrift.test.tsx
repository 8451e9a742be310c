import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildGraphModel } from '../../graph/graphModel';
import { driftTopology, labTopology, labVf } from '../../test/fixtures';
import { HostDrift } from './HostDrift';

describe('HostDrift', () => {
  it('lists every finding of the host worst first, with the device a config names that the host lacks', () => {
    render(<HostDrift model={buildGraphModel(driftTopology())} onGoto={vi.fn()} />);
    const section = screen.getByRole('region', { name: 'Drift' });
    expect(section).toHaveTextContent('7 findings · 1 about devices the graph does not draw');
    const items = within(section).getAllByRole('listitem');
    expect(items.map((li) => li.dataset.driftKind)).toEqual([
      'config-names-missing-vf',
      'group-shared-with-another-vm',
      'held-not-configured',
      'vfio-bound-without-holder',
      'holds-a-different-vf',
      'configured-not-held',
      'stale-reservation',
    ]);
    // The missing VF has nothing to show in the graph; its PF and its VM do.
    expect(items[0]).toHaveTextContent('0000:af:02.2 — not on this host, a VF of 0000:af:00.1 · VM 130 win-test');
    expect(within(items[0]!).queryByRole('button', { name: 'Show 0000:af:02.2 in the graph' })).toBeNull();
    expect(within(items[0]!).getByRole('button', { name: 'Show its PF 0000:af:00.1 in the graph' })).toBeInTheDocument();
    expect(within(items[0]!).getByRole('button', { name: 'VM 130 win-test' })).toBeInTheDocument();
  });

  it('names a VM the agent knows by no other name once', () => {
    const topology = driftTopology();
    topology.drift = [{ ...topology.drift[0]!, vmId: 'scratch', vmName: 'scratch' }];
    render(<HostDrift model={buildGraphModel(topology)} onGoto={vi.fn()} />);
    expect(screen.getByRole('listitem')).toHaveTextContent('· VM scratch');
    expect(screen.getByRole('listitem')).not.toHaveTextContent('VM scratch scratch');
  });

  it('opens a finding to its why, fix and evidence, and goes to its VF in the graph', async () => {
    const onGoto = vi.fn();
    const user = userEvent.setup();
    render(<HostDrift model={buildGraphModel(driftTopology())} onGoto={onGoto} />);
    const item = screen.getAllByRole('listitem').find((li) => li.dataset.driftKind === 'stale-reservation')!;
    await user.click(within(item).getByText('Why, the fix and the evidence'));
    expect(within(item).getByText('Fix:').parentElement).toHaveTextContent('Remove the line from /run/qemu-server/pci-id-reservations.');
    expect(within(item).getByRole('table', { name: 'Evidence' })).toHaveTextContent(`/run/qemu-server/pci-id-reservations${labVf.e810p1(2)} 120 pid:3999`);
    await user.click(within(item).getByRole('button', { name: `Show ${labVf.e810p1(2)} in the graph` }));
    expect(onGoto).toHaveBeenCalledWith(`vf:${labVf.e810p1(2)}`);
  });

  it('says configs and reality agree on a host without drift', () => {
    render(<HostDrift model={buildGraphModel(labTopology())} onGoto={vi.fn()} />);
    expect(screen.getByRole('region', { name: 'Drift' })).toHaveTextContent('The VM configurations and what runs on pve-lab-01.example.net agree.');
  });
});

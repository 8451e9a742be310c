import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import { driftTopology, iommuOffTopology, labTopology, labVf } from '../test/fixtures';
import { driftFinding } from '../test/topologyBuilder';
import { IommuGroupsView } from './IommuGroupsView';

describe('IommuGroupsView', () => {
  it('lists every member of a group with its kind, driver and holder', () => {
    render(<IommuGroupsView model={buildGraphModel(labTopology())} onGoto={vi.fn()} search="" />);
    const group20 = document.querySelector('[data-group="20"]')!;
    expect(group20).toHaveTextContent('0000:00:1f.0');
    expect(group20).toHaveTextContent('0000:00:1f.4');
    expect(group20).toHaveTextContent('i801_smbus');
    expect(group20).toHaveTextContent('3 devices share it: they go to a VM together');
    expect(document.querySelector('[data-group="70"]')).toHaveTextContent('held by win-test');
  });

  it('narrows to the groups the search names, and to groups with SR-IOV functions', async () => {
    const user = userEvent.setup();
    const model = buildGraphModel(labTopology());
    const { rerender } = render(<IommuGroupsView model={model} onGoto={vi.fn()} search="d8:00" />);
    expect([...document.querySelectorAll('[data-group]')].map((r) => r.getAttribute('data-group'))).toEqual(['62']);
    rerender(<IommuGroupsView model={model} onGoto={vi.fn()} search="" />);
    await user.click(screen.getByRole('checkbox', { name: /only groups with PFs or VFs/ }));
    expect(document.querySelector('[data-group="24"]')).toBeNull();
    expect(document.querySelector('[data-group="30"]')).not.toBeNull();
  });

  it('goes to a VF in the graph from its address', async () => {
    const user = userEvent.setup();
    const onGoto = vi.fn();
    render(<IommuGroupsView model={buildGraphModel(labTopology())} onGoto={onGoto} search="" />);
    await user.click(screen.getByRole('button', { name: '0000:d8:11.4' }));
    expect(onGoto).toHaveBeenCalledWith('vf:0000:d8:11.4');
  });

  it('says there are no groups, and why that matters, when the IOMMU is off', () => {
    render(<IommuGroupsView model={buildGraphModel(iommuOffTopology())} onGoto={vi.fn()} search="" />);
    expect(screen.getByText(/the IOMMU is off, so no device on this host can be passed through/)).toBeInTheDocument();
  });

  it('marks the members a drift finding names, whole devices included, which the graph does not draw', () => {
    const topology = driftTopology();
    const gpu = driftFinding({ kind: 'configured-not-held', severity: 'info', address: '0000:86:00.0', vmId: '130', title: "win-test's process does not hold 0000:86:00.0" });
    render(<IommuGroupsView model={buildGraphModel({ ...topology, drift: [...topology.drift, gpu] })} onGoto={vi.fn()} search="" />);
    expect(screen.getByRole('img', { name: "Config and reality differ: win-test's process does not hold 0000:86:00.0" })).toHaveAttribute('data-drift-member', '0000:86:00.0');
    const group62 = document.querySelector('[data-group="62"]')!;
    expect([...group62.querySelectorAll('[data-drift-member]')].map((m) => m.getAttribute('data-drift-member'))).toEqual([labVf.i350p0(5)]);
    expect(group62.querySelector('[data-drift-member]')).toHaveClass('drift-tag-fail');
  });
});

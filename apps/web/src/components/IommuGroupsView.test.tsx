import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import { iommuOffTopology, labTopology } from '../test/fixtures';
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
});

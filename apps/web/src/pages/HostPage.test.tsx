import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStreams } from '../test/eventStreamDouble';
import { labTopology } from '../test/fixtures';
import { startFixtureServer, type FixtureServer } from '../test/fixtureServer';
import { renderWithApi } from '../test/renderWithApi';
import { HostPage } from './HostPage';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({ 'pve-lab-01': labTopology() });
});
afterAll(() => server.close());

async function renderPage(openEvents: Parameters<typeof renderWithApi>[1]['openEvents'] = null) {
  const user = userEvent.setup();
  const utils = renderWithApi(<HostPage hostId="pve-lab-01" />, { baseUrl: server.baseUrl, openEvents });
  await screen.findByRole('application');
  return { user, ...utils };
}

const vfCells = () => [...document.querySelectorAll('[data-vf]')];

describe('HostPage', () => {
  it('expands a collapsed PF on click into one slot per VF, and collapses it again', async () => {
    const { user } = await renderPage();
    expect(document.querySelectorAll('[data-vf^="0000:3b:0"]')).toHaveLength(0);
    await user.click(document.querySelector('[data-bar="0000:3b:00.0"] rect')!);
    const e810 = labTopology().pfs[0]!;
    for (const vf of e810.vfs) expect(document.querySelector(`[data-vf="${vf.address}"]`)).not.toBeNull();
    await user.click(document.querySelector('[data-toggle-pf="0000:3b:00.0"]')!);
    expect(document.querySelector('[data-bar="0000:3b:00.0"]')).not.toBeNull();
  });

  it('shows only free VFs under the filter', async () => {
    const { user } = await renderPage();
    await user.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(vfCells().some((c) => c.getAttribute('data-state') !== 'free')).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Only free VFs' }));
    const cells = vfCells();
    expect(cells).toHaveLength(46 + 6 + 13);
    expect(cells.every((c) => c.getAttribute('data-state') === 'free')).toBe(true);
    expect(document.querySelectorAll('[data-edge]')).toHaveLength(0);
  });

  it('focuses the search with /, opens the PF of a matching VF and counts the matches', async () => {
    const { user } = await renderPage();
    await user.keyboard('/');
    const search = screen.getByRole('combobox', { name: /^Find VFs/ });
    expect(search).toHaveFocus();
    await user.keyboard('3b:02.1');
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    expect(document.querySelector('[data-vf="0000:3b:02.1"]')).not.toBeNull();
    await waitFor(() => expect(document.querySelector('.graph style')!.textContent).toMatch(/\[data-node="vf:0000:3b:02.1"\]\.cell/));
  });

  it('marks the summary bar of a PF the operator keeps collapsed when the search finds VFs in it', async () => {
    const { user } = await renderPage();
    await user.click(document.querySelector('[data-bar="0000:3b:00.0"] rect')!);
    await user.click(document.querySelector('[data-toggle-pf="0000:3b:00.0"]')!);
    await user.type(screen.getByRole('combobox', { name: /^Find VFs/ }), '3b:02.1');
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    expect(document.querySelector('[data-vf="0000:3b:02.1"]')).toBeNull();
    await waitFor(() => expect(document.querySelector('.graph style')!.textContent).toMatch(/\[data-node="bar:0000:3b:00.0"\] > \.box/));
  });

  it('finds a VM by name and a VF by MAC, and Enter walks to the match and selects it', async () => {
    const { user } = await renderPage();
    const search = screen.getByRole('combobox', { name: /^Find VFs/ });
    await user.type(search, 'k8s-worker');
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'k8s-worker-1' })).toBeInTheDocument();
    await user.clear(search);
    const mac = labTopology().pfs[1]!.vfs[4]!.netdevs[0]!.mac!;
    await user.type(search, mac);
    await user.keyboard('{Enter}');
    const details = screen.getByRole('complementary', { name: 'details' });
    expect(await within(details).findByRole('heading', { name: /VF 4/ })).toBeInTheDocument();
  });

  it('shows every field of a VF in the details panel, with copy buttons for its address and MAC', async () => {
    const { user } = await renderPage();
    await user.click(document.querySelector('[data-vf="0000:3b:12.3"]')!);
    const details = screen.getByRole('complementary', { name: 'details' });
    expect(within(details).getByRole('heading', { name: /VF 3/ })).toHaveTextContent('of E810-C port 1');
    const text = details.textContent ?? '';
    for (const expected of ['virtfn3', '8086:1889', 'iavf', 'NUMA node0', '173', 'alone in its group', 'ens1f1v3', 'Free: can be passed through']) {
      expect(text).toContain(expected);
    }
    await user.click(within(details).getAllByRole('button', { name: 'Copy PCI address 0000:3b:12.3' })[0]!);
    expect(await navigator.clipboard.readText()).toBe('0000:3b:12.3');
    const mac = labTopology().pfs[1]!.vfs[3]!.netdevs[0]!.mac!;
    await user.click(within(details).getByRole('button', { name: `Copy MAC ${mac}` }));
    expect(await navigator.clipboard.readText()).toBe(mac);
  });

  it('says in words why a VF in a shared IOMMU group cannot be given away, and lists the group', async () => {
    const { user } = await renderPage();
    await user.click(document.querySelector('[data-vf="0000:d8:10.0"]')!);
    const details = screen.getByRole('complementary', { name: 'details' });
    expect(details).toHaveTextContent('Cannot be passed through alone');
    expect(details).toHaveTextContent(/IOMMU group 62 also holds 8 other devices/);
    await user.click(within(details).getByRole('button', { name: /0000:d8:00.1/ }));
    expect(await within(details).findByRole('heading', { name: 'I350 port 1' })).toBeInTheDocument();
  });

  it('goes from a free-count chip to its PF and from the PF to the VMs holding its VFs', async () => {
    const { user } = await renderPage();
    await user.click(screen.getByRole('button', { name: /ConnectX-6 Dx port 0: 13 free of 16/ }));
    const details = screen.getByRole('complementary', { name: 'details' });
    expect(within(details).getByRole('heading', { name: 'ConnectX-6 Dx port 0' })).toBeInTheDocument();
    await user.click(within(details).getByRole('button', { name: 'db-01' }));
    expect(within(details).getByRole('heading', { name: 'db-01' })).toBeInTheDocument();
    expect(details).toHaveTextContent('0000:3b:02.6');
    expect(details).toHaveTextContent('0000:af:00.4');
  });

  it('lists every IOMMU group and marks the shared ones', async () => {
    const { user } = await renderPage();
    await user.click(screen.getByRole('tab', { name: 'IOMMU groups' }));
    const table = screen.getByRole('table');
    const group62 = table.querySelector('[data-group="62"]')!;
    expect(group62).toHaveTextContent('9 devices share it: its VFs cannot be assigned alone');
    expect(table.querySelector('[data-group="173"]')).toHaveTextContent('isolated');
    expect(table.querySelectorAll('tbody tr')).toHaveLength(labTopology().iommuGroups.length);
    await user.click(screen.getByRole('checkbox', { name: /only shared groups/ }));
    expect(table.querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('follows the event stream: polls until it opens, refetches on a change, shows an operation on its strip', async () => {
    const streams = eventStreams();
    const { user } = await renderPage(streams.open);
    const stream = streams.opened[0]!;
    expect(stream.url).toBe(`${server.baseUrl}/api/v1/hosts/pve-lab-01/events`);
    expect(screen.getByText(/Polling the agent every 5 s/)).toBeInTheDocument();

    act(() => stream.open());
    expect(await screen.findByText(/Live: the agent pushes changes/)).toBeInTheDocument();

    const changed = labTopology();
    changed.pfs[1]!.vfs[5]!.holder = { vmId: '102', vmName: 'db-01', via: 'hostpci2', pending: false };
    server.setTopology('pve-lab-01', changed);
    act(() => stream.send('topology.changed', { type: 'topology.changed', host: 'pve-lab-01', etag: 'x', reason: 'external', at: '2025-03-14T09:30:00Z' }));
    await waitFor(() => expect(document.querySelector('[data-vf="0000:3b:12.5"]')).toHaveAttribute('data-state', 'assigned'));
    server.setTopology('pve-lab-01', labTopology());

    act(() =>
      stream.send('operation.started', {
        type: 'operation.started',
        host: 'pve-lab-01',
        operationId: 'op-1',
        kind: 'numvfs',
        target: '0000:af:00.1',
        at: '2025-03-14T09:31:00Z',
      }),
    );
    expect(await screen.findByText(/changing the VF count/)).toBeInTheDocument();

    act(() => stream.drop());
    expect(await screen.findByText(/Polling the agent every 5 s/)).toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: 'Topology' }));
  });

  it('stays on polling when the events endpoint refuses the stream', async () => {
    const streams = eventStreams();
    await renderPage(streams.open);
    act(() => streams.opened[0]!.refuse());
    expect(streams.opened[0]!.closed).toBe(true);
    expect(screen.getByText(/Polling the agent every 5 s/)).toBeInTheDocument();
  });
});

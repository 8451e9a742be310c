import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from './App';
import { iommuOffTopology, labTopology, noSriovTopology } from './test/fixtures';
import { closedPortUrl, startFixtureServer, type FixtureServer } from './test/fixtureServer';
import { renderWithApi } from './test/renderWithApi';

let server: FixtureServer;
let single: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({ 'pve-lab-01': labTopology(), 'pve-off': iommuOffTopology(), 'pve-none': noSriovTopology() });
  single = await startFixtureServer({ 'pve-lab-01': labTopology() });
});
afterAll(async () => {
  await server.close();
  await single.close();
});
afterEach(() => window.history.replaceState(null, '', '/'));

/** The lab host's graph, named in the address bar as a link to it would. */
const openLab = () => window.history.replaceState(null, '', '/?host=pve-lab-01');

describe('App', () => {
  it('says it is loading, then draws every PF of a single agent\'s host with its free count', async () => {
    renderWithApi(<App />, { baseUrl: single.baseUrl });
    expect(screen.getByRole('status')).toHaveTextContent(/Asking the agent|Reading the SR-IOV topology/);
    await screen.findByText('E810-C port 0:', { exact: false });
    const topology = labTopology();
    for (const pf of topology.pfs) expect(document.querySelector(`[data-pf="${pf.address}"]`)).not.toBeNull();
    expect(screen.getByTestId('host-free')).toHaveTextContent('65');
    expect(screen.getByRole('button', { name: /E810-C port 0: 46 free of 64/ })).toBeInTheDocument();
  });

  it('offers a host picker when the server knows several hosts, and switches host', async () => {
    const user = userEvent.setup();
    openLab();
    renderWithApi(<App />, { baseUrl: server.baseUrl });
    const picker = await screen.findByRole('combobox', { name: 'Host' });
    await user.selectOptions(picker, 'pve-off');
    expect(await screen.findByText(/The IOMMU is off on this host: no VF can be passed through to a VM\./)).toBeInTheDocument();
    expect(window.location.search).toBe('?host=pve-off');
  });

  it('says why passthrough will not work when the IOMMU is off', async () => {
    window.history.replaceState(null, '', '/?host=pve-off');
    renderWithApi(<App />, { baseUrl: server.baseUrl });
    const banner = await screen.findByRole('note');
    expect(banner).toHaveTextContent(/VFIO cannot fence a device's DMA/);
    expect(banner).toHaveTextContent(/intel_iommu=on/);
    expect(document.querySelectorAll('[data-state="free"]')).toHaveLength(0);
  });

  it('says so when a host has no SR-IOV device', async () => {
    window.history.replaceState(null, '', '/?host=pve-none');
    renderWithApi(<App />, { baseUrl: server.baseUrl });
    expect(await screen.findByRole('heading', { name: /No SR-IOV device on pve-lab-01.example.net/ })).toBeInTheDocument();
    expect(screen.getByText(/None of its 6 PCI devices offers SR-IOV/)).toBeInTheDocument();
  });

  it('shows a problem+json answer readably, with its fields', async () => {
    server.setProblem('pve-lab-01', {
      type: 'urn:vfmap:problem:kernel',
      title: 'The kernel refused',
      status: 500,
      detail: 'reading sriov_numvfs of 0000:3b:00.0 failed: EACCES',
      errno: 'EACCES',
      path: 'sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs',
    });
    try {
      openLab();
      renderWithApi(<App />, { baseUrl: server.baseUrl });
      const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
      expect(within(alert).getByRole('heading')).toHaveTextContent('The kernel refused');
      expect(alert).toHaveTextContent('reading sriov_numvfs of 0000:3b:00.0 failed: EACCES');
      expect(alert).toHaveTextContent('urn:vfmap:problem:kernel');
      expect(alert).toHaveTextContent('errno');
      expect(alert).toHaveTextContent('sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs');
    } finally {
      server.setProblem('pve-lab-01', null);
    }
  });

  it('says the agent does not answer when nothing listens', async () => {
    renderWithApi(<App />, { baseUrl: await closedPortUrl() });
    const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
    expect(within(alert).getByRole('heading')).toHaveTextContent('The vfmap agent does not answer');
    expect(alert).toHaveTextContent(/tries again every 5 s/);
  });

  it('revalidates with the ETag and keeps the drawing when the agent says 304', async () => {
    openLab();
    const { queryClient } = renderWithApi(<App />, { baseUrl: server.baseUrl });
    await screen.findByText('E810-C port 0:', { exact: false });
    const before = server.requests.get('pve-lab-01')!.notModified;
    const cell = document.querySelector('[data-vf="0000:3b:12.3"]');
    await queryClient.refetchQueries({ queryKey: ['topology', 'pve-lab-01'] });
    await waitFor(() => expect(server.requests.get('pve-lab-01')!.notModified).toBe(before + 1));
    expect(document.querySelector('[data-vf="0000:3b:12.3"]')).toBe(cell);
  });

  it('redraws a VF that a VM took meanwhile', async () => {
    openLab();
    const { queryClient } = renderWithApi(<App />, { baseUrl: server.baseUrl });
    await screen.findByText('E810-C port 0:', { exact: false });
    expect(document.querySelector('[data-vf="0000:3b:12.3"]')).toHaveAttribute('data-state', 'free');
    const changed = labTopology();
    changed.pfs[1]!.vfs[3]!.holder = { vmId: '101', vmName: 'web-01', via: 'hostpci3', pending: true };
    server.setTopology('pve-lab-01', changed);
    try {
      await queryClient.refetchQueries({ queryKey: ['topology', 'pve-lab-01'] });
      await waitFor(() => expect(document.querySelector('[data-vf="0000:3b:12.3"]')).toHaveAttribute('data-state', 'assigned'));
    } finally {
      server.setTopology('pve-lab-01', labTopology());
    }
  });
});

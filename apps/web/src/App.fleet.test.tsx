import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from './App';
import { eventStreams } from './test/eventStreamDouble';
import { fleetHosts } from './test/fleetFixtures';
import { labTopology } from './test/fixtures';
import { startFixtureServer, type FixtureServer } from './test/fixtureServer';
import { renderWithApi } from './test/renderWithApi';

let fleet: FixtureServer;
let single: FixtureServer;

beforeAll(async () => {
  const { hosts, options } = fleetHosts();
  fleet = await startFixtureServer(hosts, options);
  single = await startFixtureServer({ 'pve-lab-01': labTopology() });
});
afterAll(async () => {
  await fleet.close();
  await single.close();
});
afterEach(() => window.history.replaceState(null, '', '/'));

const tile = (id: string) => document.querySelector<HTMLElement>(`[data-host="${id}"]`)!;
const tileOrder = () => [...document.querySelectorAll('[data-host]')].map((t) => t.getAttribute('data-host'));

async function openFleet(path = '/', openEvents: Parameters<typeof renderWithApi>[1]['openEvents'] = null) {
  window.history.replaceState(null, '', path);
  const user = userEvent.setup();
  const utils = renderWithApi(<App />, { baseUrl: fleet.baseUrl, openEvents });
  await screen.findByRole('list', { name: 'hosts' });
  return { user, ...utils };
}

/** Back or forward, as the browser does it: the address changes, then popstate. */
async function traverse(delta: -1 | 1) {
  const before = window.location.href;
  await act(async () => {
    window.history.go(delta);
    await waitFor(() => expect(window.location.href).not.toBe(before));
  });
}

describe('the fleet overview', () => {
  it('opens on the fleet when the server knows several hosts: one tile per host, problems first, then most free', async () => {
    await openFleet();
    expect(window.location.search).toBe('');
    expect(document.title).toBe('Fleet · vfmap');
    // unreachable (by name), unauthorized, stale, warnings (most free first), then the healthy rest.
    expect(tileOrder()).toEqual(['pve-07', 'pve-new', 'pve-dmz', 'pve-edge', 'pve-lab-01', 'pve-plain', 'sim-large']);
    expect(screen.getByTestId('fleet-free')).toHaveTextContent(String(65 + 1365));
    expect(screen.getByRole('region', { name: 'fleet' })).toHaveTextContent('2 unreachable · 1 unauthorized · 1 stale');
  });

  it('says each host\'s status, how old its last answer is and why it is not ok', async () => {
    await openFleet();
    const stale = within(tile('pve-edge'));
    expect(stale.getByText('stale')).toBeInTheDocument();
    expect(stale.getByText('last answer 3 min ago')).toBeInTheDocument();
    expect(stale.getByText(/connect ETIMEDOUT/)).toBeInTheDocument();

    const down = within(tile('pve-07'));
    expect(down.getByText('unreachable')).toBeInTheDocument();
    expect(down.getByText('last answer 12 min ago')).toBeInTheDocument();
    expect(down.getByText('connect ECONNREFUSED 10.0.0.17:7300')).toBeInTheDocument();
    expect(down.getByText(/Nothing known of its VFs/)).toBeInTheDocument();

    const never = within(tile('pve-new'));
    expect(never.getByText('never answered')).toBeInTheDocument();
    expect(never.getByText('getaddrinfo ENOTFOUND pve-new.example.net')).toBeInTheDocument();

    const refused = within(tile('pve-dmz'));
    expect(refused.getByText('unauthorized')).toBeInTheDocument();
    expect(refused.getByText("the host's agent refused this server's certificate")).toBeInTheDocument();

    expect(within(tile('sim-large')).getByText('ok')).toBeInTheDocument();
    expect(tile('pve-07')).toHaveClass('dead');
  });

  it('lists a host\'s NICs by model and NUMA node, with link speed and free, held and total VFs', async () => {
    await openFleet();
    const lab = tile('pve-lab-01');
    expect(within(lab).getByRole('heading', { name: 'pve-lab-01.example.net' })).toBeInTheDocument();
    expect(lab).toHaveTextContent('pve-lab-01');
    expect(lab).toHaveTextContent('proxmox');
    expect(lab).toHaveTextContent('65free of 95 VFs24 held');
    expect(lab).toHaveTextContent('1 warning');
    const rows = within(within(lab).getByRole('list', { name: /VFs of pve-lab-01.example.net/ })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'E810-C ×2NUMA 0100G52 free of 72 · 20 held',
      'ConnectX-6 Dx ×2NUMA 125G13 free of 16 · 3 held',
      'I350 ×2NUMA 11G0 free of 7 · 1 held',
    ]);
    expect(rows[0]!.querySelector('.nic-model')).toHaveAttribute('title', 'Intel Corporation Ethernet Controller E810-C for QSFP');
  });

  it('opens a host\'s graph from its tile, and back returns to the fleet', async () => {
    const { user } = await openFleet();
    await user.click(within(tile('pve-lab-01')).getByRole('link', { name: 'pve-lab-01.example.net' }));
    expect(window.location.search).toBe('?host=pve-lab-01');
    expect(await screen.findByRole('application')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Fleet/ })).not.toHaveAttribute('aria-current');
    await traverse(-1);
    expect(window.location.search).toBe('');
    expect(await screen.findByRole('list', { name: 'hosts' })).toBeInTheDocument();
    await traverse(1);
    expect(await screen.findByRole('application')).toBeInTheDocument();
  });

  it('opens a host from the keyboard: the tile\'s link takes Enter', async () => {
    const { user } = await openFleet();
    within(tile('sim-large')).getByRole('link').focus();
    await user.keyboard('{Enter}');
    expect(window.location.search).toBe('?host=sim-large');
    expect(await screen.findByText(/SR-IOV topology of sim-large|Reading the SR-IOV topology/)).toBeInTheDocument();
  });

  it('keeps a host that stops answering on the grid, where it was (a tile never moves on a refresh), when the fleet stream says so', async () => {
    const streams = eventStreams();
    await openFleet('/', streams.open);
    const before = tileOrder();
    const stream = streams.opened.find((s) => s.url.endsWith('/api/v1/events'))!;
    act(() => stream.open());
    fleet.setHostStatus('sim-large', { status: 'unreachable', ageSeconds: 30, problem: 'connect EHOSTUNREACH 10.0.0.99:7300' });
    try {
      act(() => stream.send('host.status', { type: 'host.status', host: 'sim-large', status: 'unreachable', problem: 'connect EHOSTUNREACH 10.0.0.99:7300', at: new Date().toISOString() }));
      await waitFor(() => expect(tile('sim-large')).toHaveAttribute('data-status', 'unreachable'));
      expect(within(tile('sim-large')).getByText('connect EHOSTUNREACH 10.0.0.99:7300')).toBeInTheDocument();
      expect(within(tile('sim-large')).getByText('last answer 30 s ago')).toBeInTheDocument();
      expect(tileOrder()).toEqual(before);
      expect(screen.getByText(/Live: the server pushes host status changes/)).toBeInTheDocument();
    } finally {
      fleet.setHostStatus('sim-large', null);
    }
  });

  it('opens a single agent\'s host directly, with the way to the fleet in the header', async () => {
    const user = userEvent.setup();
    renderWithApi(<App />, { baseUrl: single.baseUrl });
    await screen.findByRole('application');
    expect(window.location.search).toBe('');
    await user.click(screen.getByRole('link', { name: /Fleet/ }));
    expect(window.location.search).toBe('?view=fleet');
    expect(await screen.findByRole('list', { name: 'hosts' })).toBeInTheDocument();
    expect(tileOrder()).toEqual(['pve-lab-01']);
    expect(screen.getByRole('link', { name: /Fleet/ })).toHaveAttribute('aria-current', 'page');
    await traverse(-1);
    expect(await screen.findByRole('application')).toBeInTheDocument();
  });

  it('says so when the address names a host the server does not know, and shows the fleet', async () => {
    await openFleet('/?host=gone-01');
    expect(screen.getByRole('note')).toHaveTextContent('No host “gone-01” here.');
  });

  it('switches from the fleet to a host with the picker', async () => {
    const { user } = await openFleet();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Host' }), 'pve-lab-01');
    expect(window.location.search).toBe('?host=pve-lab-01');
    expect(await screen.findByRole('application')).toBeInTheDocument();
  });
});

describe('the fleet search', () => {
  it('turns the operator\'s words into the query, lists what it finds, and opens the chosen VF selected on its host', async () => {
    const { user } = await openFleet();
    await user.type(screen.getByRole('searchbox', { name: /Search the fleet/ }), 'free E810 VF on NUMA 1, 100G');
    expect(screen.getByText('Looking for free VFs · model E810 · NUMA 1 · ≥100G')).toBeInTheDocument();
    const results = await screen.findByRole('region', { name: 'VFs found' });
    await waitFor(() => expect(results).toHaveTextContent('683 VFs match free VFs · model E810 · NUMA 1 · ≥100G on 1 host · the first 200 shown'));
    expect(fleet.fleetSearches.at(-1)).toBe('free=true&device=E810&numaNode=1&minSpeedMbps=100000&limit=200');
    // Typing replaced the address, it did not push an entry per key.
    expect(window.location.search).toBe('?view=fleet&q=free+E810+VF+on+NUMA+1,+100G');
    expect(results).toHaveTextContent('Not searched, nothing known of their VFs: pve-07.example.net (unreachable), pve-new.example.net (unreachable), pve-dmz.example.net (unauthorized).');

    const row = results.querySelector('tbody tr')!;
    expect([...row.querySelectorAll('td')].map((c) => c.textContent)).toEqual([
      'sim-large',
      'E810-C',
      '0000:57:00.0 ens3f0',
      '0000:57:02.0 #0',
      'free',
      'NUMA 1',
      '100G',
      '—',
    ]);

    await user.click(within(results).getByRole('link', { name: 'VF 0 0000:57:02.0 on sim-large' }));
    expect(window.location.search).toBe('?host=sim-large&select=0000:57:02.0');
    const details = await screen.findByRole('complementary', { name: 'details' });
    expect(await within(details).findByRole('heading', { name: /VF 0/ })).toBeInTheDocument();
    expect(document.querySelector('[data-vf="0000:57:02.0"]')).not.toBeNull();

    // Back: the same search, its words and its results.
    await traverse(-1);
    expect(await screen.findByRole('searchbox', { name: /Search the fleet/ })).toHaveValue('free E810 VF on NUMA 1, 100G');
    expect(await screen.findByRole('region', { name: 'VFs found' })).toHaveTextContent('683 VFs match');
    // Forward: the VF selected again.
    await traverse(1);
    const again = await screen.findByRole('complementary', { name: 'details' });
    expect(await within(again).findByRole('heading', { name: /VF 0/ })).toBeInTheDocument();
  });

  it('asks for held VFs of a host and a PF by its words, and names each VF\'s holder', async () => {
    await openFleet('/?view=fleet&q=held%20host:pve-lab-01%203b:00.1');
    const results = await screen.findByRole('region', { name: 'VFs found' });
    await waitFor(() => expect(results).toHaveTextContent('2 VFs match'));
    expect(fleet.fleetSearches.at(-1)).toBe('free=false&pf=0000%3A3b%3A00.1&host=pve-lab-01&limit=200');
    const rows = [...results.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('[data-label="Holder"]')!.textContent)).toEqual(['build-runner', 'build-runner']);
    expect(rows.map((r) => r.querySelector('[data-label="State"]')!.textContent)).toEqual(['held', 'held']);
  });

  it('marks the VFs it found in the last answer of a stale host', async () => {
    await openFleet('/?view=fleet&q=host:pve-edge%20E810');
    const results = await screen.findByRole('region', { name: 'VFs found' });
    await waitFor(() => expect(results).toHaveTextContent('72 VFs match'));
    const first = results.querySelector('tbody tr')!;
    expect(first).toHaveClass('stale');
    expect(within(first as HTMLElement).getByText('stale')).toBeInTheDocument();
    expect(within(first as HTMLElement).getByText('not assignable')).toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    await openFleet('/?view=fleet&q=model:BCM57414');
    const results = await screen.findByRole('region', { name: 'VFs found' });
    await waitFor(() => expect(results).toHaveTextContent('No VF match all VFs · model BCM57414'));
    expect(results.querySelector('table')).toBeNull();
  });

  it('opens a VF from its row with a click anywhere on it', async () => {
    const { user } = await openFleet('/?view=fleet&q=free%20host:pve-lab-01%20numa:1');
    const results = await screen.findByRole('region', { name: 'VFs found' });
    await waitFor(() => expect(results.querySelectorAll('tbody tr')).toHaveLength(13));
    await user.click(within(results.querySelector('tbody tr') as HTMLElement).getByText('ConnectX-6 Dx'));
    expect(window.location.search).toBe('?host=pve-lab-01&select=0000:af:00.5');
  });

  it('leaves the search out while the words ask for nothing', async () => {
    const { user } = await openFleet();
    await user.type(screen.getByRole('searchbox', { name: /Search the fleet/ }), 'any vfs');
    expect(screen.getByText('Nothing to search in “any vfs”')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'VFs found' })).toBeNull();
  });
});

describe('the host page in the address bar', () => {
  it('writes what is selected into the address without a history entry per click', async () => {
    window.history.replaceState(null, '', '/?host=pve-lab-01');
    const user = userEvent.setup();
    renderWithApi(<App />, { baseUrl: fleet.baseUrl });
    await screen.findByRole('application');
    const entries = window.history.length;
    await user.click(screen.getByRole('button', { name: /ConnectX-6 Dx port 0: 13 free of 16/ }));
    expect(window.location.search).toBe('?host=pve-lab-01&select=0000:af:00.0');
    expect(window.history.length).toBe(entries);
    await user.keyboard('{Escape}');
  });

  it('selects what the address names once the topology is in', async () => {
    window.history.replaceState(null, '', '/?host=pve-lab-01&select=vm:140');
    renderWithApi(<App />, { baseUrl: fleet.baseUrl });
    expect(await screen.findByRole('heading', { name: 'k8s-worker-1' })).toBeInTheDocument();
  });
});

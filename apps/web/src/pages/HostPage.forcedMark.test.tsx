import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_KEY } from '../api/writeToken';
import { labTopology } from '../test/fixtures';
import { FIXTURE_TOKEN, startFixtureServer, type FixtureServer } from '../test/fixtureServer';
import { renderWithApi } from '../test/renderWithApi';
import { HostPage } from './HostPage';

/**
 * A forced count change re-creates the VFs below the new count at their old addresses: nfv-router
 * (running) still names 0000:af:00.2 in its configuration, but the new device is on mlx5_core.
 */
const HOST = 'pve-lab-01';
const VF = '0000:af:00.2';
let server: FixtureServer;

beforeEach(async () => {
  window.sessionStorage.clear();
  server = await startFixtureServer({ [HOST]: labTopology() });
});
afterEach(() => server.close());

describe('HostPage after a forced count change', () => {
  it('marks a held VF the change re-created, says the one true state, and drops the mark once the VM is seen stopped', async () => {
    window.sessionStorage.setItem(TOKEN_KEY, FIXTURE_TOKEN);
    const user = userEvent.setup();
    renderWithApi(<HostPage hostId={HOST} />, { baseUrl: server.baseUrl, openEvents: null });
    await screen.findByRole('application');
    const details = screen.getByRole('complementary', { name: 'details' });

    await user.click(document.querySelector('[data-pf="0000:af:00.0"]')!);
    const box = screen.getByRole('region', { name: 'Change the VF count' });
    const input = within(box).getByRole('spinbutton', { name: 'VFs wanted' });
    await user.clear(input);
    await user.type(input, '8');
    await user.click(within(box).getByRole('button', { name: 'Review the change…' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('checkbox', { name: /force/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Force: change to 8 VFs' }));
    await waitFor(() => expect(server.writes.log).toHaveLength(1));

    await waitFor(() => expect(document.querySelector(`[data-vf="${VF}"]`)).not.toBeNull());
    // On the graph: a corner mark on each re-created slot, the PF's counts and the legend say so.
    const marks = await waitFor(() => screen.getAllByRole('img', { name: /^Re-created under .* by a forced count change: the running VM lost it$/ }));
    const marked = marks.map((m) => m.getAttribute('data-forced-mark'));
    expect(marked).toContain(VF);
    expect(marked).toContain('0000:af:00.4');
    expect(document.querySelector(`[data-forced-mark="${VF}"]`)).toHaveAccessibleName('Re-created under nfv-router by a forced count change: the running VM lost it');
    expect(document.querySelector(`[data-forced-count="${marks.length}"]`)).not.toBeNull();
    expect(screen.getByRole('list', { name: 'legend' })).toHaveTextContent('re-created by a forced change');
    await user.click(document.querySelector(`[data-vf="${VF}"]`)!);
    await within(details).findByText(/Re-created under nfv-router by a forced count change/);
    expect(details).toHaveTextContent("VM config names this VF, but the host driver holds it: the VM's start or hot-plug failed");
    expect(details).not.toHaveTextContent(/Held by/);
    expect(JSON.parse(window.sessionStorage.getItem(`vfmap.forced.${HOST}`)!)).toEqual(
      expect.arrayContaining([expect.objectContaining({ vf: VF, vmId: '110', vmName: 'nfv-router' })]),
    );

    // The VM stops: its next start takes the new device, so there is nothing left to reconcile.
    const t = server.topologyOf(HOST)!;
    server.setTopology(HOST, { ...t, vms: t.vms.map((vm) => (vm.id === '110' ? { ...vm, state: 'stopped' } : vm)) });
    await waitFor(() => expect(within(details).queryByText(/Re-created under nfv-router/)).toBeNull(), { timeout: 8_000 });
    expect(document.querySelector(`[data-forced-mark="${VF}"]`)).toBeNull();
    expect(document.querySelector('[data-forced-mark="0000:af:00.4"]')).not.toBeNull();
    // db-01 still runs: its re-created VF keeps its mark.
    expect(JSON.parse(window.sessionStorage.getItem(`vfmap.forced.${HOST}`)!).map((m: { vf: string }) => m.vf)).toEqual(['0000:af:00.4']);
  }, 20_000);
});

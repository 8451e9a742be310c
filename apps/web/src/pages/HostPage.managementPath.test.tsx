import { HostList, Topology } from '@vfmap/model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_KEY } from '../api/writeToken';
import { startDemoAgent, type DemoAgent } from '../test/demoAgent';
import { renderWithApi } from '../test/renderWithApi';
import { HostPage } from './HostPage';

/**
 * The count change and the prepare on the PF that carries the host's default route, against the
 * real agent over the simulated host `sriov-blocked`: the X710's port 0 (0000:18:00.0, ens1f0, 4
 * VFs) is the port of vmbr0, which holds the default route. The agent refuses with 409
 * management-path; the page says why and sends the same change again with force once ticked.
 */
const TOKEN = 'management-path-test-token-0123456789';
const PF = '0000:18:00.0';
let agent: DemoAgent;
let hostId: string;

beforeEach(async () => {
  window.sessionStorage.clear();
  window.sessionStorage.setItem(TOKEN_KEY, TOKEN);
  agent = await startDemoAgent('sriov-blocked', { token: TOKEN });
  hostId = HostList.parse(await (await fetch(`${agent.url}/api/v1/hosts`)).json()).hosts[0]!.id;
}, 90_000);
afterEach(async () => {
  await agent?.stop();
});

async function numVfsOnHost(): Promise<number> {
  const topology = Topology.parse(await (await fetch(`${agent.url}/api/v1/hosts/${hostId}/topology`)).json());
  return topology.pfs.find((p) => p.address === PF)!.numVfs;
}

async function renderPage() {
  const user = userEvent.setup();
  renderWithApi(<HostPage hostId={hostId} />, { baseUrl: agent.url, openEvents: null });
  await screen.findByRole('application', {}, { timeout: 20_000 });
  await user.click(document.querySelector(`[data-pf="${PF}"]`)!);
  return { user, details: screen.getByRole('complementary', { name: 'details' }) };
}

describe('HostPage on the management PF', () => {
  it('shows the refusal of a count change in its dialog, and changes the count when force is ticked', async () => {
    const { user, details } = await renderPage();
    const box = within(details).getByRole('region', { name: 'Change the VF count' });
    const input = within(box).getByRole('spinbutton', { name: 'VFs wanted' });
    await user.clear(input);
    await user.type(input, '2');
    await user.click(within(box).getByRole('button', { name: 'Review the change…' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Change to 2 VFs' }));

    // The agent's answer opens the dialog again, with the reason; only a forced change can go.
    const dialog = await screen.findByRole('dialog', {}, { timeout: 20_000 });
    const refusal = within(dialog).getByRole('alert');
    expect(refusal).toHaveAttribute('data-refusal', 'management-path');
    // Below the controls the status says it too, for after the dialog is gone.
    expect(within(details).getByRole('alert')).toHaveTextContent("The PF carries the host's management path");
    expect(refusal).toHaveTextContent("The agent refused: the PF carries the host's management path");
    expect(refusal).toHaveTextContent(`${PF} (ens1f0) carries the host's default route through vmbr0`);
    expect(refusal).toHaveTextContent('Default route: vmbr0 → ens1f0.');
    expect(await numVfsOnHost()).toBe(4);
    const confirm = within(dialog).getByRole('button', { name: 'Force: change to 2 VFs' });
    expect(confirm).toBeDisabled();
    await user.click(within(dialog).getByRole('checkbox', { name: /Change anyway \(force\)/ }));
    await user.click(confirm);

    await waitFor(() => expect(document.querySelectorAll(`[data-vf]`)).toHaveLength(2), { timeout: 20_000 });
    expect(await numVfsOnHost()).toBe(2);
    expect(screen.queryByRole('dialog')).toBeNull();
  }, 60_000);

  it('shows the refusal of a prepare, and runs it again with force when ticked', async () => {
    const { user, details } = await renderPage();
    await user.click(within(details).getByRole('button', { name: 'Prepare VFs for VMs…' }));
    const dialog = await screen.findByRole('dialog');
    const count = within(dialog).getByLabelText('VFs');
    await user.clear(count);
    await user.type(count, '2');
    // vfio-pci is not loaded on this host: the VFs stay on their host driver.
    await user.click(within(dialog).getByRole('checkbox', { name: /Bind every VF to vfio-pci/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Show the plan' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Run: prepare 2 VFs' }, { timeout: 20_000 }));

    const problem = await within(dialog).findByRole('alert', {}, { timeout: 20_000 });
    expect(problem).toHaveTextContent("The PF carries the host's management path");
    expect(problem).toHaveTextContent('vmbr0');
    expect(await numVfsOnHost()).toBe(4);
    const again = within(dialog).getByRole('button', { name: 'Force: prepare 2 VFs' });
    expect(again).toBeDisabled();
    await user.click(within(dialog).getByRole('checkbox', { name: /Change anyway \(force\)/ }));
    await user.click(again);

    expect(await within(dialog).findByText('Done', {}, { timeout: 20_000 })).toBeInTheDocument();
    expect(await numVfsOnHost()).toBe(2);
  }, 60_000);
});

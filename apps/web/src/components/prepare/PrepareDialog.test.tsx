import { ProblemType, type PreparePlan, type PrepareResult } from '@vfmap/model';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useHostEvents } from '../../api/useHostEvents';
import { TOKEN_KEY } from '../../api/writeToken';
import { buildGraphModel } from '../../graph/graphModel';
import { eventStreams } from '../../test/eventStreamDouble';
import { labTopology } from '../../test/fixtures';
import { renderWithApi } from '../../test/renderWithApi';
import { STUB_BASE, stubAgent, type StubAnswer } from '../../test/stubAgent';
import { PrepareControls } from './PrepareControls';

const HOST = 'pve-lab-01';
const PF = '0000:af:00.1';
const TOKEN = 'test-token-0123456789abcdef';

const plan: PreparePlan = {
  pf: PF,
  steps: [
    { kind: 'desired', target: PF, description: 'Keep 4 VFs, vfio-pci, stable MACs and VLANs as the desired state of the PF', affects: null },
    { kind: 'autoprobe', target: PF, description: 'Write 0 to sriov_drivers_autoprobe', affects: null },
    { kind: 'numvfs', target: PF, description: 'Write 4 to sriov_numvfs', affects: 'the host gets 4 new PCI functions' },
    { kind: 'vf-config', target: '0000:af:02.2', description: 'VF 0: mac 02:5e:11:00:00:00, vlan 100', affects: null },
    { kind: 'vf-driver', target: '0000:af:02.2', description: 'VF 0: bind to vfio-pci', affects: null },
    { kind: 'persist', target: PF, description: 'Write /etc/systemd/network/10-vfmap-ens2f1np1.link', affects: 'applies at the next boot' },
  ],
  macs: ['02:5e:11:00:00:00', '02:5e:11:00:00:01', '02:5e:11:00:00:02', '02:5e:11:00:00:03'],
  warnings: ['The initramfs must be updated (update-initramfs -u): mlx5_core loads from it.'],
};

function Harness() {
  const events = useHostEvents(HOST);
  const model = buildGraphModel(labTopology());
  return <PrepareControls hostId={HOST} pf={model.pfByAddress.get(PF)!} operations={events.operations} busy={null} />;
}

function setup(run: () => Promise<StubAnswer>) {
  const pf = labTopology().pfs.find((p) => p.address === PF)!;
  const result = (steps: string[]): PrepareResult => ({ operationId: 'op-42', pf, changed: steps.length > 0, steps, message: steps.length ? 'Prepared 4 VFs for VMs on 0000:af:00.1.' : 'Plan only: nothing written.', plan });
  const agent = stubAgent([{ method: 'POST', path: /\/prepare$/, answer: (body) => ((body as { dryRun?: boolean }).dryRun ? { body: result([]) } : run()) }]);
  vi.stubGlobal('fetch', agent.fetch);
  window.sessionStorage.setItem(TOKEN_KEY, TOKEN);
  const streams = eventStreams();
  renderWithApi(<Harness />, { baseUrl: STUB_BASE, openEvents: streams.open });
  act(() => streams.opened[0]!.open());
  const send = (type: string, data: object) => act(() => streams.opened[0]!.send(type, { type, host: HOST, operationId: 'op-42', kind: 'prepare', target: PF, at: '2026-12-06T17:00:00Z', ...data }));
  return { agent, send, result, user: userEvent.setup() };
}

async function openAndPlan(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Prepare VFs for VMs…' }));
  const dialog = screen.getByRole('dialog', { name: 'Prepare VFs for VMs on ConnectX-6 Dx port 1' });
  const count = within(dialog).getByLabelText('VFs');
  expect(count).toHaveValue(4);
  await user.clear(count);
  await user.type(count, '17');
  expect(dialog).toHaveTextContent('At most 16 (sriov_totalvfs).');
  expect(within(dialog).getByRole('button', { name: 'Show the plan' })).toBeDisabled();
  await user.clear(count);
  await user.type(count, '4');
  await user.type(within(dialog).getByLabelText('VLAN for all'), '100');
  await user.click(within(dialog).getByRole('checkbox', { name: 'per VF' }));
  await user.type(within(dialog).getByLabelText('VLAN of VF 2'), '200');
  await user.click(within(dialog).getByRole('button', { name: 'Show the plan' }));
  return dialog;
}

beforeEach(() => window.sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('Prepare VFs for VMs', () => {
  it('shows the agent\'s plan first, then runs it, ticking off each step as the agent reports it', async () => {
    let answer!: (a: StubAnswer) => void;
    const { agent, send, result, user } = setup(() => new Promise((resolve) => (answer = resolve)));
    const dialog = await openAndPlan(user);

    const planned = await within(dialog).findByRole('region', { name: 'the plan' });
    expect(agent.writes()[0]!.body).toEqual({ count: 4, driver: 'vfio-pci', stableMacs: true, vlans: [100, 100, 200, 100], dryRun: true });
    expect(agent.writes()[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    const steps = within(planned).getAllByRole('listitem').filter((li) => li.classList.contains('plan-step'));
    expect(steps.map((s) => s.getAttribute('data-step-kind'))).toEqual(['desired', 'autoprobe', 'numvfs', 'vf-config', 'vf-driver', 'persist']);
    expect(steps[2]).toHaveTextContent('Write 4 to sriov_numvfs');
    expect(steps[2]).toHaveTextContent('the host gets 4 new PCI functions');
    expect(planned).toHaveTextContent('VF 3 02:5e:11:00:00:03');
    expect(planned).toHaveTextContent('The initramfs must be updated');
    expect(dialog).toHaveTextContent('Nothing has been written yet.');

    await user.click(within(dialog).getByRole('button', { name: 'Run: prepare 4 VFs' }));
    await waitFor(() => expect(agent.writes()).toHaveLength(2));
    expect(agent.writes()[1]!.body).toEqual({ count: 4, driver: 'vfio-pci', stableMacs: true, vlans: [100, 100, 200, 100] });
    expect(within(dialog).getByLabelText('VFs')).toBeDisabled();

    send('operation.started', {});
    send('operation.progress', { step: 1, of: 6, description: 'Kept the desired state' });
    send('operation.progress', { step: 2, of: 6, description: 'Wrote 0 to sriov_drivers_autoprobe' });
    const states = () => [...dialog.querySelectorAll('.plan-step')].map((s) => s.getAttribute('data-step-state'));
    expect(states()).toEqual(['done', 'done', 'running', 'waiting', 'waiting', 'waiting']);
    expect(within(dialog).getByRole('status')).toHaveTextContent('Step 2 of 6 done: Wrote 0 to sriov_drivers_autoprobe');

    for (let step = 3; step <= 6; step++) send('operation.progress', { step, of: 6, description: `step ${step}` });
    send('operation.finished', { result: 'ok' });
    act(() => answer({ body: result(['Kept the desired state', 'Wrote 0 to sriov_drivers_autoprobe', 'Wrote 4 to sriov_numvfs']) }));
    expect(await within(dialog).findByText('Prepared 4 VFs for VMs on 0000:af:00.1.')).toBeInTheDocument();
    expect(states()).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('region', { name: 'Prepare VFs for VMs' })).toHaveTextContent('Prepared 4 VFs for VMs on 0000:af:00.1.');
  });

  it('says where a run stopped: the steps done stay done, the one that failed and why', async () => {
    const { user } = setup(async () => ({
      status: 409,
      problem: true,
      body: {
        type: ProblemType.partial,
        status: 409,
        title: 'Prepare stopped at a step',
        detail: 'The VFs exist; VF 1 is not on vfio-pci.',
        reason: 'steps-stopped',
        pf: PF,
        done: ['Kept the desired state', 'Wrote 4 to sriov_numvfs'],
        failed: 'VF 1: bind to vfio-pci',
        cause: 'vfio-pci is not loaded (modprobe vfio-pci)',
      },
    }));
    const dialog = await openAndPlan(user);
    await user.click(await within(dialog).findByRole('button', { name: 'Run: prepare 4 VFs' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Prepare stopped at a step');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Kept the desired state',
      'Wrote 4 to sriov_numvfs',
      'Stopped: VF 1: bind to vfio-pci — vfio-pci is not loaded (modprobe vfio-pci)',
    ]);
  });

  it('asks for a new plan when the form changes after one was shown', async () => {
    const { user } = setup(async () => ({ body: {} }));
    const dialog = await openAndPlan(user);
    await within(dialog).findByRole('button', { name: 'Run: prepare 4 VFs' });
    await user.click(within(dialog).getByRole('checkbox', { name: /Bind every VF to vfio-pci/ }));
    expect(within(dialog).queryByRole('button', { name: /Run/ })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Show the plan' })).toBeEnabled();
  });
});

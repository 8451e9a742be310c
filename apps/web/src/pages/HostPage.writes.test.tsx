import { ProblemType, type Topology } from '@vfmap/model';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_KEY } from '../api/writeToken';
import { eventStreams } from '../test/eventStreamDouble';
import { labTopology } from '../test/fixtures';
import { FIXTURE_TOKEN, startFixtureServer, type FixtureServer } from '../test/fixtureServer';
import { renderWithApi } from '../test/renderWithApi';
import { withHolder } from '../test/topologyChanges';
import { HostPage } from './HostPage';

const HOST = 'pve-lab-01';
let server: FixtureServer;

beforeEach(async () => {
  window.sessionStorage.clear();
  server = await startFixtureServer({ [HOST]: labTopology() });
});
afterEach(() => server.close());

async function renderPage(options: { token?: string; openEvents?: Parameters<typeof renderWithApi>[1]['openEvents'] } = {}) {
  if (options.token) window.sessionStorage.setItem(TOKEN_KEY, options.token);
  const user = userEvent.setup();
  const utils = renderWithApi(<HostPage hostId={HOST} />, { baseUrl: server.baseUrl, openEvents: options.openEvents ?? null });
  await screen.findByRole('application');
  return { user, details: screen.getByRole('complementary', { name: 'details' }), ...utils };
}

const cell = (address: string) => document.querySelector(`[data-vf="${address}"]`);
const serverTopology = (): Topology => server.topologyOf(HOST)!;

async function reviewCount(user: ReturnType<typeof userEvent.setup>, pf: string, count: number) {
  await user.click(document.querySelector(`[data-pf="${pf}"]`)!);
  const box = screen.getByRole('region', { name: 'Change the VF count' });
  const input = within(box).getByRole('spinbutton', { name: 'VFs wanted' });
  await user.clear(input);
  await user.type(input, String(count));
  await user.click(within(box).getByRole('button', { name: 'Review the change…' }));
  return { box, dialog: await screen.findByRole('dialog') };
}

describe('HostPage writes', () => {
  it('asks for the token once, changes a VF count after the confirm, and draws the new VFs', async () => {
    const { user } = await renderPage();
    const { dialog } = await reviewCount(user, '0000:af:00.1', 4);
    expect(server.writes.log).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Enable 4 VFs' }));

    const tokenDialog = await screen.findByRole('dialog', { name: 'Write token' });
    expect(server.writes.log).toHaveLength(0);
    await user.type(within(tokenDialog).getByLabelText('Token'), `  ${FIXTURE_TOKEN}{Enter}`);

    await waitFor(() => expect(cell('0000:af:02.5')).not.toBeNull());
    for (const a of ['0000:af:02.2', '0000:af:02.3', '0000:af:02.4', '0000:af:02.5']) expect(cell(a)).toHaveAttribute('data-state', 'free');
    // With the ETag of the topology it drew: the agent would refuse it had the host changed since.
    expect(server.writes.log).toEqual([
      { method: 'PUT', path: '/api/v1/hosts/pve-lab-01/pfs/0000:af:00.1/numvfs', body: { count: 4 }, authorization: `Bearer ${FIXTURE_TOKEN}`, ifMatch: `"${HOST}-1"` },
    ]);
    expect(await screen.findByText('Enabled 4 VFs on 0000:af:00.1.')).toBeInTheDocument();
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe(FIXTURE_TOKEN);

    // The token is kept for the tab: the next write does not ask.
    const second = await reviewCount(user, '0000:af:00.1', 2);
    await user.click(within(second.dialog).getByRole('button', { name: 'Change to 2 VFs' }));
    await waitFor(() => expect(cell('0000:af:02.4')).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.writes.log.map((w) => w.authorization)).toEqual([`Bearer ${FIXTURE_TOKEN}`, `Bearer ${FIXTURE_TOKEN}`]);
  });

  it('writes nothing when a VM took a VF after the page drew the host: says the host changed, and reads it again', async () => {
    const released = withHolder(withHolder(labTopology(), '0000:3b:12.0', null), '0000:3b:12.1', null);
    server.setTopology(HOST, released);
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    // After the page read the host, build-runner was given VF 1 again: the page's plan needs no force.
    server.setTopology(HOST, withHolder(released, '0000:3b:12.1', { vmId: '120', vmName: 'build-runner', via: 'hostpci1', pending: false }));
    const { dialog } = await reviewCount(user, '0000:3b:00.1', 4);
    expect(within(dialog).queryByRole('checkbox')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Change to 4 VFs' }));

    const problem = await within(details).findByRole('alert');
    expect(problem).toHaveTextContent('The host changed since this page drew it');
    expect(problem).toHaveTextContent('Nothing was written');
    expect(problem).toHaveTextContent('HTTP 412 · urn:vfmap:problem:precondition-failed');
    // Sent with the ETag of what the page drew, which the host had left behind.
    expect(server.writes.log.map((w) => w.ifMatch)).toEqual([`"${HOST}-2"`]);
    // Nothing changed on the host, and the page reads it again: the VF shows as held now.
    expect(serverTopology().pfs[1]!.numVfs).toBe(8);
    await waitFor(() => expect(cell('0000:3b:12.1')).toHaveAttribute('data-state', 'assigned'));

    // Asked again on what it shows now, the agent explains who holds the VF.
    const again = await reviewCount(user, '0000:3b:00.1', 4);
    expect(within(again.dialog).getByRole('checkbox', { name: /force/ })).toBeInTheDocument();
  });

  it('shows the agent\'s refusal with the VMs involved', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    server.writes.failNext({
      type: ProblemType.conflict,
      status: 409,
      title: 'VMs hold VFs this change destroys',
      detail: 'Release them first, or ask again with force.',
      reason: 'vfs-held',
      previousCount: 8,
      count: 4,
      vms: [{ vmId: '120', vmName: 'build-runner', holds: 'config', vfs: ['0000:3b:12.1'], configNamesMissing: ['0000:3b:12.1'] }],
      vfs: [{ address: '0000:3b:12.1', index: 1, vmId: '120', vmName: 'build-runner', recreated: true, source: 'config' }],
    });
    const { dialog } = await reviewCount(user, '0000:af:00.1', 2);
    await user.click(within(dialog).getByRole('button', { name: 'Enable 2 VFs' }));
    const problem = await within(details).findByRole('alert');
    expect(problem).toHaveTextContent('VMs hold VFs this change destroys');
    expect(within(problem).getByRole('list')).toHaveTextContent('build-runner VM 120 · its configuration names them: 0000:3b:12.1');
    expect(within(problem).getByRole('list')).toHaveTextContent('Its configuration would name a VF that no longer exists: 0000:3b:12.1 — the VM fails at its next start.');
    expect(problem).toHaveTextContent('HTTP 409 · urn:vfmap:problem:conflict');
  });

  it('assigns a free VF to a stopped VM, says it takes effect at its next start, and releases it', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    await user.click(cell('0000:3b:12.3')!);
    await user.click(within(details).getByRole('button', { name: 'Assign to VM…' }));
    const picker = await screen.findByRole('dialog', { name: 'Assign VF 3 of E810-C port 1 to a VM' });
    const runner = within(picker).getByRole('radio', { name: /build-runner/ });
    expect(runner.closest('label')).toHaveTextContent('stopped: it gets the VF at its next start');
    expect(within(picker).getByRole('radio', { name: /win-test/ }).closest('label')).toHaveTextContent('paused');
    await user.click(runner);
    await user.click(within(picker).getByRole('button', { name: 'Assign to build-runner' }));

    expect(await within(details).findByText(/Takes effect at the next start of build-runner/)).toBeInTheDocument();
    await waitFor(() => expect(cell('0000:3b:12.3')).toHaveAttribute('data-state', 'assigned'));
    expect(server.writes.log.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/hosts/pve-lab-01/vfs/0000:3b:12.3/assignment', body: { vmId: '120' } });
    expect(serverTopology().pfs[1]!.vfs[3]!.holder).toMatchObject({ vmId: '120', via: 'hostpci2' });

    await user.click(within(details).getByRole('button', { name: 'Release from build-runner…' }));
    const confirm = await screen.findByRole('dialog', { name: 'Release VF 3 of E810-C port 1 from build-runner' });
    expect(confirm).toHaveTextContent('build-runner is stopped: nothing uses the VF now.');
    await user.click(within(confirm).getByRole('button', { name: 'Release' }));
    await waitFor(() => expect(cell('0000:3b:12.3')).toHaveAttribute('data-state', 'free'));
    expect(server.writes.log.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/hosts/pve-lab-01/vfs/0000:3b:12.3/assignment' });
  });

  it('forgets a token the agent refuses and asks again, saying so', async () => {
    const { user, details } = await renderPage({ token: 'someone-elses-token-0000' });
    await user.click(cell('0000:3b:12.3')!);
    await user.click(within(details).getByRole('button', { name: 'Assign to VM…' }));
    const picker = await screen.findByRole('dialog');
    await user.click(within(picker).getByRole('radio', { name: /k8s-worker-1/ }));
    await user.click(within(picker).getByRole('button', { name: 'Assign to k8s-worker-1' }));

    const tokenDialog = await screen.findByRole('dialog', { name: 'Write token' });
    expect(within(tokenDialog).getByRole('alert')).toHaveTextContent('The agent did not accept that token (401). Enter it again.');
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    await user.type(within(tokenDialog).getByLabelText('Token'), FIXTURE_TOKEN);
    await user.click(within(tokenDialog).getByRole('button', { name: 'Use this token' }));

    expect(await within(details).findByText('In effect now: k8s-worker-1 is running')).toBeInTheDocument();
    expect(server.writes.log.map((w) => w.authorization)).toEqual(['Bearer someone-elses-token-0000', `Bearer ${FIXTURE_TOKEN}`]);
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe(FIXTURE_TOKEN);
  });

  it('writes nothing when the token dialog is cancelled', async () => {
    const { user, details } = await renderPage();
    await user.click(cell('0000:3b:12.3')!);
    await user.click(within(details).getByRole('button', { name: 'Assign to VM…' }));
    const picker = await screen.findByRole('dialog');
    await user.click(within(picker).getByRole('radio', { name: /db-01/ }));
    await user.click(within(picker).getByRole('button', { name: 'Assign to db-01' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Write token' })).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.writes.log).toEqual([]);
    expect(within(details).getByRole('button', { name: 'Assign to VM…' })).toBeEnabled();
  });

  it('says when the agent is read-only and disables every write control', async () => {
    server.writes.token = null;
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    const { dialog } = await reviewCount(user, '0000:af:00.1', 2);
    await user.click(within(dialog).getByRole('button', { name: 'Enable 2 VFs' }));

    expect(await within(details).findByText('Read-only agent.')).toBeInTheDocument();
    expect(details).toHaveTextContent('This agent runs with --read-only: it shows the topology and changes nothing.');
    expect(within(details).getByRole('button', { name: 'Review the change…' })).toBeDisabled();
    expect(within(details).getByRole('spinbutton', { name: 'VFs wanted' })).toBeDisabled();
    await user.click(cell('0000:3b:12.3')!);
    expect(within(details).getByRole('button', { name: 'Assign to VM…' })).toBeDisabled();
    // Said once, in the notice, not again by each control or as the refused write's problem.
    expect(within(details).getAllByText(/--read-only/)).toHaveLength(1);
  });

  it('disables the controls and marks the PF\'s strip while the change runs, then shows the result', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    const release = server.writes.hold();
    const { dialog } = await reviewCount(user, '0000:af:00.1', 3);
    await user.click(within(dialog).getByRole('button', { name: 'Enable 3 VFs' }));

    expect(await within(details).findByText('Enabling 3 VFs…')).toBeInTheDocument();
    expect(within(details).getByRole('button', { name: 'Review the change…' })).toBeDisabled();
    expect(within(details).getByRole('button', { name: 'One VF more' })).toBeDisabled();
    // No event stream here: the page's own write still shows on the strip where it happens.
    const graph = screen.getByRole('application');
    expect(within(graph).getByRole('status')).toHaveTextContent(/^changing the VF count… \d+\.\d s$/);

    release();
    expect(await within(details).findByText('Enabled 3 VFs on 0000:af:00.1.')).toBeInTheDocument();
    await waitFor(() => expect(cell('0000:af:02.4')).not.toBeNull());
    expect(within(graph).queryByRole('status')).toBeNull();
    expect(within(details).getByRole('button', { name: 'One VF more' })).toBeEnabled();
    expect(within(details).getByRole('spinbutton', { name: 'VFs wanted' })).toHaveValue(3);
  });

  it('disables a PF\'s controls while the agent reports an operation on it from elsewhere', async () => {
    const streams = eventStreams();
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN, openEvents: streams.open });
    act(() => streams.opened[0]!.open());
    await user.click(document.querySelector('[data-pf="0000:3b:00.1"]')!);
    const started = { type: 'operation.started', host: HOST, operationId: 'op-9', kind: 'assign', target: '0000:3b:12.5', at: '2025-03-14T09:40:00Z' };
    act(() => streams.opened[0]!.send('operation.started', started));
    expect(await within(details).findByText('VF 5 of this PF is being assigned; the count can change once that is done.')).toBeInTheDocument();
    expect(within(details).getByRole('button', { name: 'Review the change…' })).toBeDisabled();
    act(() => streams.opened[0]!.send('operation.finished', { ...started, type: 'operation.finished', result: 'ok', at: '2025-03-14T09:40:01Z' }));
    await waitFor(() => expect(within(details).getByRole('spinbutton', { name: 'VFs wanted' })).toBeEnabled());
  });

  it('shows the kernel\'s errno when it refuses a count', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    // As the agent words an errno its table has no title of its own for (server/problems.ts, kernelErrno.ts).
    server.writes.failNext({
      type: ProblemType.kernel,
      title: 'The kernel refused the VF count',
      status: 500,
      detail:
        'The kernel could not find resources for 16 VFs on 0000:af:00.1 (ENOMEM); the firmware often reserves too little MMIO space or too few bus numbers for VFs (dmesg says which).',
      errno: 'ENOMEM',
      path: '/sys/bus/pci/devices/0000:af:00.1/sriov_numvfs',
      pf: '0000:af:00.1',
      value: '16',
    });
    const { dialog } = await reviewCount(user, '0000:af:00.1', 16);
    await user.click(within(dialog).getByRole('button', { name: 'Enable 16 VFs' }));
    const problem = await within(details).findByRole('alert');
    expect(problem).toHaveTextContent('The kernel refused the VF count');
    expect(problem).toHaveTextContent('(ENOMEM); the firmware often reserves too little MMIO space');
    expect(within(problem).getByText('ENOMEM', { selector: 'code.errno' })).toBeInTheDocument();
  });

  it('says where a half-done change stopped, and draws the PF as it was left', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    // Every field the agent sends (server/problems.ts, PartialNumVfsChange) but pfNow, which the page does not read.
    server.writes.failNext(
      {
        type: ProblemType.partial,
        title: 'The VF count change stopped half-way',
        status: 500,
        detail:
          'Stopped half-way on 0000:af:00.0: "0" was written and its 16 VFs are gone (it has 0 now), then the kernel refused 8. The kernel could not find resources for 8 VFs on 0000:af:00.0 (ENOMEM); the firmware often reserves too little MMIO space or too few bus numbers for VFs (dmesg says which).',
        errno: 'ENOMEM',
        path: '/sys/bus/pci/devices/0000:af:00.0/sriov_numvfs',
        stoppedAt: { numVfs: 0, wrote: '0', refused: '8' },
        previousCount: 16,
        requested: 8,
        pf: '0000:af:00.0',
      },
      (t) => ({ ...t, pfs: t.pfs.map((p) => (p.address === '0000:af:00.0' ? { ...p, numVfs: 0, vfs: [] } : p)) }),
    );
    const { dialog } = await reviewCount(user, '0000:af:00.0', 8);
    await user.click(within(dialog).getByRole('checkbox', { name: /force/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Force: change to 8 VFs' }));
    const problem = await within(details).findByRole('alert');
    expect(problem).toHaveTextContent('The VF count change stopped half-way');
    expect(problem).toHaveTextContent('Stopped at: sriov_numvfs reads 0. The agent wrote 0, then the kernel refused 8.');
    expect(server.writes.log[0]!.body).toEqual({ count: 8, force: true });
    await waitFor(() => expect(cell('0000:af:00.2')).toBeNull());
    expect(within(details).getByRole('spinbutton', { name: 'VFs wanted' })).toHaveValue(0);
  });

  it('offers no assignment for a VF that shares its IOMMU group, and says why', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    await user.click(cell('0000:d8:10.0')!);
    expect(within(details).getByRole('button', { name: 'Assign to VM…' })).toBeDisabled();
    expect(details).toHaveTextContent('Cannot be passed through alone: IOMMU group 62 also holds 8 other devices');
  });

  it('forgets the kept token on request', async () => {
    const { user, details } = await renderPage({ token: FIXTURE_TOKEN });
    await user.click(cell('0000:3b:12.3')!);
    await user.click(within(details).getByRole('button', { name: 'Forget it' }));
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(within(details).queryByText(/Write token kept for this tab/)).toBeNull();
  });
});

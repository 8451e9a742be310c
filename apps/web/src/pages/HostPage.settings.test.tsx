import type { Topology, VfConfig } from '@vfmap/model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_KEY } from '../api/writeToken';
import { labTopology } from '../test/fixtures';
import { FIXTURE_TOKEN, startFixtureServer, type FixtureServer } from '../test/fixtureServer';
import { renderWithApi } from '../test/renderWithApi';
import { stubAgent } from '../test/stubAgent';
import { HostPage } from './HostPage';

/**
 * A VF's settings edited in the details panel of the host page: the fixture server serves the
 * host, the settings route is stubbed (the fixture server has no issue-14 routes) and changes the
 * host as the agent would, so the page reads the new settings back.
 */
const HOST = 'pve-lab-01';
const VF = '0000:3b:12.3';
const igb: VfConfig = { mac: '02:00:00:00:01:00', vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null };
let server: FixtureServer;

function withConfig(topology: Topology, config: VfConfig): Topology {
  return { ...topology, pfs: topology.pfs.map((p) => ({ ...p, vfs: p.vfs.map((v) => (v.address === VF ? { ...v, config } : v)) })) };
}

beforeEach(async () => {
  window.sessionStorage.clear();
  server = await startFixtureServer({ [HOST]: withConfig(labTopology(), igb) });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

describe('a VF\'s settings on the host page', () => {
  it('edits VLAN and MAC in the details panel and reads them back from the host', async () => {
    const realFetch = globalThis.fetch.bind(globalThis);
    const agent = stubAgent(
      [
        {
          method: 'PUT',
          path: /\/vfs\/0000:3b:12.3\/config$/,
          answer: (body) => {
            const change = body as { mac: string; vlan: number };
            const next = withConfig(server.topologyOf(HOST)!, { ...igb, mac: change.mac, vlan: change.vlan });
            server.setTopology(HOST, next);
            const vf = next.pfs.flatMap((p) => p.vfs).find((v) => v.address === VF)!;
            return { body: { operationId: 'op-1', vf, applied: ['mac', 'vlan'], message: `VF 3: MAC ${change.mac}, VLAN ${change.vlan}.` } };
          },
        },
      ],
      realFetch,
    );
    vi.stubGlobal('fetch', agent.fetch);
    window.sessionStorage.setItem(TOKEN_KEY, FIXTURE_TOKEN);
    const user = userEvent.setup();
    renderWithApi(<HostPage hostId={HOST} />, { baseUrl: server.baseUrl });
    await screen.findByRole('application');
    await user.click(document.querySelector(`[data-vf="${VF}"]`)!);
    const details = screen.getByRole('complementary', { name: 'details' });
    const form = within(details).getByRole('form', { name: 'Settings of VF 3' });
    await user.clear(within(form).getByLabelText('VLAN'));
    await user.type(within(form).getByLabelText('VLAN'), '100');
    await user.clear(within(form).getByLabelText('MAC'));
    await user.type(within(form).getByLabelText('MAC'), '02:00:00:00:01:2a');
    await user.click(within(form).getByRole('button', { name: 'Apply 2 changes' }));

    expect(await within(details).findByText('VF 3: MAC 02:00:00:00:01:2a, VLAN 100.')).toBeInTheDocument();
    // Read back: the form starts again at what the host reports now, with nothing left to apply.
    const after = within(details).getByRole('form', { name: 'Settings of VF 3' });
    await waitFor(() => expect(within(after).getByLabelText('VLAN')).toHaveValue(100));
    expect(within(after).getByLabelText('MAC')).toHaveValue('02:00:00:00:01:2a');
    expect(within(after).getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(agent.writes()).toHaveLength(1);
    expect(agent.writes()[0]!.ifMatch).toBe(`"${HOST}-1"`);
  });
});

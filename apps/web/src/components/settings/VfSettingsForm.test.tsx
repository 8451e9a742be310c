import { ProblemType, type VfConfig } from '@vfmap/model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryKeys } from '../../api/api';
import { TOKEN_KEY } from '../../api/writeToken';
import { labTopology } from '../../test/fixtures';
import { renderWithApi } from '../../test/renderWithApi';
import { STUB_BASE, stubAgent, type StubRoute } from '../../test/stubAgent';
import { VfSettingsForm } from './VfSettingsForm';

const HOST = 'pve-lab-01';
const VF = '0000:3b:12.3';
const TOKEN = 'test-token-0123456789abcdef';
const igb: VfConfig = { mac: '02:00:00:00:01:00', vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null };

function vfWith(config: VfConfig) {
  const vf = labTopology().pfs.flatMap((p) => p.vfs).find((v) => v.address === VF)!;
  return { ...vf, config };
}

function setup(routes: StubRoute[], props: Partial<Parameters<typeof VfSettingsForm>[0]> = {}) {
  const agent = stubAgent(routes);
  vi.stubGlobal('fetch', agent.fetch);
  window.sessionStorage.setItem(TOKEN_KEY, TOKEN);
  const utils = renderWithApi(<VfSettingsForm hostId={HOST} vf={VF} index={3} config={igb} busy={null} stableMacs={false} desired={null} {...props} />, {
    baseUrl: STUB_BASE,
  });
  utils.queryClient.setQueryData(queryKeys.topology(HOST), { topology: labTopology(), etag: '"topo-7"' });
  return { agent, user: userEvent.setup(), form: screen.getByRole('form', { name: 'Settings of VF 3' }), ...utils };
}

beforeEach(() => window.sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('the VF settings form', () => {
  it('starts at what the driver reports and offers nothing to apply', () => {
    const { form } = setup([]);
    expect(within(form).getByLabelText('MAC')).toHaveValue('02:00:00:00:01:00');
    expect(within(form).getByLabelText('VLAN')).toHaveValue(0);
    expect(within(form).getByRole('checkbox', { name: 'Spoof check' })).toBeChecked();
    expect(within(form).getByRole('checkbox', { name: 'Trust' })).not.toBeChecked();
    expect(within(form).getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('explains what the model refuses, sends nothing, and enables Apply once it is right', async () => {
    const { form, user, agent } = setup([]);
    const mac = within(form).getByLabelText('MAC');
    await user.clear(mac);
    await user.type(mac, '01:00:5e:00:00:01');
    const vlan = within(form).getByLabelText('VLAN');
    await user.clear(vlan);
    await user.type(vlan, '4096');
    expect(form.querySelector('[data-error-for="mac"]')).toHaveTextContent('A VF\'s MAC must be unicast');
    expect(form.querySelector('[data-error-for="vlan"]')).toHaveTextContent('4095');
    const apply = within(form).getByRole('button', { name: 'Apply 2 changes' });
    expect(apply).toBeDisabled();
    await user.click(apply);
    expect(agent.writes()).toHaveLength(0);

    await user.clear(mac);
    await user.type(mac, '02:00:00:00:01:0A');
    await user.clear(vlan);
    await user.type(vlan, '100');
    expect(form.querySelector('.field-error')).toBeNull();
    expect(within(form).getByRole('button', { name: 'Apply 2 changes' })).toBeEnabled();
  });

  it('sends only the changed settings, with the token and the topology\'s ETag, and says what was done', async () => {
    const { form, user, agent } = setup([
      {
        method: 'PUT',
        path: /\/vfs\/0000:3b:12.3\/config$/,
        answer: () => ({
          body: { operationId: 'op-1', vf: vfWith({ ...igb, vlan: 100, qos: 5, trust: true }), applied: ['vlan', 'trust'], message: 'VF 3 of 0000:3b:00.1: VLAN 100 priority 5, trust on.' },
        }),
      },
    ]);
    const vlan = within(form).getByLabelText('VLAN');
    await user.clear(vlan);
    await user.type(vlan, '100');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'VLAN priority (QoS)' }), '5');
    await user.click(within(form).getByRole('checkbox', { name: 'Trust' }));
    expect(form).toHaveTextContent('Changes VLAN and trust.');
    await user.click(within(form).getByRole('button', { name: 'Apply 2 changes' }));
    await waitFor(() => expect(agent.writes()).toHaveLength(1));
    expect(agent.writes()[0]).toEqual({
      method: 'PUT',
      path: `/api/v1/hosts/${HOST}/vfs/${VF}/config`,
      body: { vlan: 100, qos: 5, vlanProtocol: '802.1Q', trust: true },
      authorization: `Bearer ${TOKEN}`,
      ifMatch: '"topo-7"',
    });
    expect(await within(form).findByText('VF 3 of 0000:3b:00.1: VLAN 100 priority 5, trust on.')).toBeInTheDocument();
  });

  it('names the setting the driver refused and those applied before it', async () => {
    const { form, user } = setup([
      {
        method: 'PUT',
        path: /\/config$/,
        answer: () => ({
          status: 422,
          problem: true,
          body: {
            type: ProblemType.refused,
            status: 422,
            title: 'The NIC\'s driver refused a VF setting',
            detail: 'igb cannot set the link state of a VF (ip link set … vf 3 state disable: Operation not supported).',
            setting: 'linkState',
            applied: ['mac', 'vlan'],
          },
        }),
      },
    ]);
    const mac = within(form).getByLabelText('MAC');
    await user.clear(mac);
    await user.type(mac, '02:00:00:00:01:0b');
    const vlan = within(form).getByLabelText('VLAN');
    await user.clear(vlan);
    await user.type(vlan, '7');
    await user.selectOptions(within(form).getByLabelText('Link state'), 'disable');
    await user.click(within(form).getByRole('button', { name: 'Apply 3 changes' }));
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('This NIC\'s driver cannot set link state; MAC and VLAN were applied before it and are kept.');
    expect(alert).toHaveTextContent('igb cannot set the link state');
    expect(alert).toHaveTextContent('HTTP 422');
  });

  it('hints at stable MACs, says what is kept for boot, and waits while an operation runs', () => {
    setup([], {
      stableMacs: true,
      desired: { index: 3, settings: { mac: '02:00:00:00:01:00', vlan: 100 }, driver: 'vfio-pci' },
      busy: 'This VF is being assigned.',
    });
    const form = screen.getByRole('form');
    expect(form).toHaveTextContent('Stable MACs are on for this PF');
    expect(form).toHaveTextContent('Kept for boot: MAC 02:00:00:00:01:00, VLAN 100, driver vfio-pci.');
    expect(form).toHaveTextContent('This VF is being assigned.');
    expect(within(form).getByLabelText('MAC')).toBeDisabled();
  });

  it('says a running VM\'s guest sees a new MAC only once its driver resets the VF', async () => {
    const { form, user } = setup([], { runningVm: 'nfv-router' });
    expect(form).not.toHaveTextContent('nfv-router');
    const mac = within(form).getByLabelText('MAC');
    await user.clear(mac);
    await user.type(mac, '02:00:00:00:01:0c');
    expect(form).toHaveTextContent('nfv-router runs with this VF: its guest sees the new MAC once its VF driver resets');
  });

  it('says in one line each where live differs from what is kept, and when nothing keeps it', () => {
    setup([], { differences: [{ what: 'vlan', desired: '100', live: '0' }], lostAtReboot: true });
    const form = screen.getByRole('form');
    expect(form.querySelector('[data-vf-difference="vlan"]')).toHaveTextContent('Differs from what is kept: VLAN is 0 live, kept as 100.');
    expect(form).toHaveTextContent('lost at reboot nothing keeps this PF\'s VFs at boot');
  });
});

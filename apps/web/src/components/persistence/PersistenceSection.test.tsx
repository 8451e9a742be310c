import type { HostPersistence, PfPersistence } from '@vfmap/model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_KEY } from '../../api/writeToken';
import { buildGraphModel } from '../../graph/graphModel';
import { labTopology } from '../../test/fixtures';
import { renderWithApi } from '../../test/renderWithApi';
import { STUB_BASE, stubAgent } from '../../test/stubAgent';
import { PersistenceSection } from './PersistenceSection';

const HOST = 'pve-lab-01';
const PF = '0000:af:00.0';
const TOKEN = 'test-token-0123456789abcdef';

const drifted: PfPersistence = {
  pf: PF,
  interface: 'ens2f0np0',
  desired: {
    count: 4,
    vendorId: '15b3',
    deviceId: '101d',
    setAt: '2026-12-06T10:00:00Z',
    stableMacs: true,
    driversAutoprobe: false,
    vfs: [{ index: 0, settings: { vlan: 100 }, driver: 'vfio-pci' }],
  },
  matches: false,
  differences: [
    { what: 'count', desired: '4', live: '2' },
    { what: 'VF 0 vlan', desired: '100', live: 'none' },
  ],
  keptBy: {
    mechanism: 'link-drop-in',
    path: '/etc/systemd/network/10-ens2f0np0.link.d/50-vfmap-sriov.conf',
    written: true,
    initramfs: true,
    notKept: ['VF 0 driver'],
    note: 'systemd 252 applies [SR-IOV] when the PF appears.',
  },
  lostAtReboot: false,
  owners: [
    {
      kind: 'sysfs-conf',
      path: '/etc/sysfs.conf',
      line: 3,
      text: 'bus/pci/devices/0000:af:00.0/sriov_numvfs = 8',
      sets: 'count',
      competes: 'yes',
      note: 'sysfsutils writes 8 at boot, after udev: the count ends at 8, not 4.',
    },
  ],
  warnings: ['Two things set this PF\'s VF count at boot.'],
};

const nothingKept: PfPersistence = {
  pf: PF,
  interface: 'ens2f0np0',
  desired: null,
  matches: null,
  differences: [],
  keptBy: { mechanism: 'none', path: null, written: false, initramfs: false, notKept: [], note: '' },
  lostAtReboot: true,
  owners: [],
  warnings: [],
};

function setup(entry: PfPersistence) {
  const persistence: HostPersistence = { host: HOST, pfs: [entry] };
  const model = buildGraphModel(labTopology());
  const pf = model.pfByAddress.get(PF)!;
  const agent = stubAgent([
    { method: 'GET', path: /\/persistence$/, answer: () => ({ body: persistence }) },
    {
      method: 'POST',
      path: /\/reapply$/,
      answer: () => ({ body: { operationId: 'op-9', pf: pf.pf, changed: true, steps: ['wrote 4 to sriov_numvfs', 'VF 0: vlan 100'], message: 'Re-applied what is kept for 0000:af:00.0.' } }),
    },
    { method: 'PUT', path: /\/autoprobe$/, answer: (body) => ({ body: { operationId: 'op-10', pf: pf.pf, changed: true, steps: [], message: `drivers_autoprobe ${(body as { enabled: boolean }).enabled ? 'on' : 'off'}.` } }) },
  ]);
  vi.stubGlobal('fetch', agent.fetch);
  window.sessionStorage.setItem(TOKEN_KEY, TOKEN);
  renderWithApi(<PersistenceSection hostId={HOST} pf={pf} busy={null} />, { baseUrl: STUB_BASE });
  return { agent, user: userEvent.setup(), section: screen.getByRole('region', { name: 'Kept across reboots' }) };
}

beforeEach(() => window.sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('Kept across reboots', () => {
  it('lists what differs between kept and live, the file that keeps it, the initramfs, and what competes', async () => {
    const { section } = setup(drifted);
    const table = await within(section).findByRole('table', { name: 'Desired and live' });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual(['SettingKeptLive', 'count42', 'VF 0 vlan100none']);
    expect(section).toHaveTextContent('Live differs from what is kept.');
    expect(section).toHaveTextContent('Kept by /etc/systemd/network/10-ens2f0np0.link.d/50-vfmap-sriov.conf (a .link drop-in');
    expect(section).toHaveTextContent('This way cannot keep: VF 0 driver.');
    expect(section).toHaveTextContent('run update-initramfs -u');
    const owner = section.querySelector('[data-owner="sysfs-conf"]')!;
    expect(owner).toHaveTextContent('competes: /etc/sysfs.conf:3 (sysfs-conf, sets the VF count)');
    expect(owner).toHaveTextContent('bus/pci/devices/0000:af:00.0/sriov_numvfs = 8');
    expect(section).toHaveTextContent('Two things set this PF\'s VF count at boot.');
    expect(section.querySelector('[data-lost-at-reboot]')).toBeNull();
    expect(within(section).getByRole('checkbox', { name: /Stable MACs/ })).toBeChecked();
  });

  it('says "lost at reboot" where nothing keeps the PF, and offers no re-apply of nothing', async () => {
    const { section } = setup(nothingKept);
    expect(await within(section).findByText('lost at reboot')).toBeInTheDocument();
    expect(section).toHaveTextContent('vfmap keeps nothing for this PF.');
    expect(section).toHaveTextContent('Nothing keeps it at boot.');
    expect(within(section).getByRole('button', { name: 'Re-apply' })).toBeDisabled();
  });

  it('re-applies with the token, says what was done, and reads the persistence again', async () => {
    const { section, user, agent } = setup(drifted);
    await user.click(await within(section).findByRole('button', { name: 'Re-apply' }));
    expect(await within(section).findByText('Re-applied what is kept for 0000:af:00.0.')).toBeInTheDocument();
    expect(agent.writes()).toEqual([{ method: 'POST', path: `/api/v1/hosts/${HOST}/pfs/${PF}/reapply`, body: undefined, authorization: `Bearer ${TOKEN}`, ifMatch: null }]);
    await waitFor(() => expect(agent.log.filter((r) => r.method === 'GET' && r.path.endsWith('/persistence'))).toHaveLength(2));
  });

  it('switches drivers_autoprobe with one write', async () => {
    const { section, user, agent } = setup(drifted);
    const box = await within(section).findByRole('checkbox', { name: /Host drivers take new VFs/ });
    expect(box).toBeChecked();
    await user.click(box);
    expect(await within(section).findByText('drivers_autoprobe off.')).toBeInTheDocument();
    expect(agent.writes().map((w) => [w.method, w.path, w.body])).toEqual([['PUT', `/api/v1/hosts/${HOST}/pfs/${PF}/autoprobe`, { enabled: false }]]);
  });
});

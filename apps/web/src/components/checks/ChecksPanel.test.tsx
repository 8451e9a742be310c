import { HostList } from '@vfmap/model';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoAgent, type DemoAgent } from '../../test/demoAgent';
import { renderWithApi } from '../../test/renderWithApi';
import { ChecksPanel } from './ChecksPanel';

/** The panel against the real agent over the simulated host that has what stops SR-IOV (`vfmap demo --profile sriov-blocked`). */
let agent: DemoAgent;
let hostId: string;
beforeAll(async () => {
  agent = await startDemoAgent('sriov-blocked');
  hostId = HostList.parse(await (await fetch(`${agent.url}/api/v1/hosts`)).json()).hosts[0]!.id;
}, 90_000);
afterAll(async () => {
  await agent?.stop();
});

function checkItems(section: HTMLElement) {
  return [...section.querySelectorAll<HTMLElement>('li[data-check]')];
}

describe('ChecksPanel', () => {
  it('lists the failures first: the IOMMU off and the X520 with SR-IOV switched off in firmware', async () => {
    renderWithApi(<ChecksPanel hostId={hostId} />, { baseUrl: agent.url });
    const section = screen.getByRole('region', { name: 'Checks' });
    await within(section).findByText(/^IOMMU off: iommu=pt is set but intel_iommu=on is not/);
    const items = checkItems(section);
    const statuses = items.map((li) => li.dataset.status);
    expect(statuses.indexOf('ok') === -1 || statuses.lastIndexOf('fail') < statuses.indexOf('ok')).toBe(true);
    expect(items[0]!.dataset.check).toBe('iommu');
    expect(items.filter((li) => li.dataset.check === 'sriov-switched-off' && li.dataset.status === 'fail').map((li) => li.dataset.target)).toEqual(['0000:19:00.0', '0000:19:00.1']);
    expect(within(section).getByText(/^3 failing, \d+ warnings?(, \d+ unknown)?(, \d+ ok)?$/)).toBeInTheDocument();
  });

  it('opens a check to its evidence, why, and the fix for Proxmox and for Debian', async () => {
    renderWithApi(<ChecksPanel hostId={hostId} />, { baseUrl: agent.url });
    const section = screen.getByRole('region', { name: 'Checks' });
    const title = await within(section).findByText("0000:18:00.0 (ens1f0) carries the host's default route through vmbr0");
    await userEvent.setup().click(title);
    const item = title.closest('li')!;
    const rows = within(within(item).getByRole('table', { name: 'Evidence' })).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['Read fromValue', '/proc/net/route' + 'vmbr0 00000000 010200C0', '/sys/class/net/vmbr0/brif/ens1f0' + 'port of the bridge']);
    expect(item).toHaveTextContent(/resets? the PF's link|reset the PF's link/);
    expect(within(item).getByText('Fix on Proxmox VE')).toBeInTheDocument();
    expect(within(item).getByText('Fix on Debian / libvirt')).toBeInTheDocument();
  });

  it("shows only a PF's checks when given one", async () => {
    renderWithApi(<ChecksPanel hostId={hostId} pf="0000:19:00.1" />, { baseUrl: agent.url });
    const section = screen.getByRole('region', { name: 'Checks of 0000:19:00.1' });
    await within(section).findByText('0000:19:00.1 can do SR-IOV but TotalVFs is 0: switched off in firmware');
    expect(checkItems(section).map((li) => li.dataset.target)).toEqual(['0000:19:00.1']);
  });
});

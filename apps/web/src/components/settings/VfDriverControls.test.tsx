import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_KEY } from '../../api/writeToken';
import { buildGraphModel } from '../../graph/graphModel';
import { labTopology } from '../../test/fixtures';
import { renderWithApi } from '../../test/renderWithApi';
import { STUB_BASE, stubAgent } from '../../test/stubAgent';
import { VfDriverControls } from './VfDriverControls';

const HOST = 'pve-lab-01';
const TOKEN = 'test-token-0123456789abcdef';

function setup(address: string) {
  const topology = labTopology();
  const model = buildGraphModel(topology);
  const vf = model.vfByAddress.get(address)!;
  const agent = stubAgent([
    {
      method: 'PUT',
      path: /\/driver$/,
      answer: (body) => ({
        body: { operationId: 'op-3', vf: { ...vf.vf, driver: 'vfio-pci', driverOverride: 'vfio-pci' }, previousDriver: vf.vf.driver, driver: (body as { driver: string | null }).driver, changed: true, message: `VF ${vf.index} is on vfio-pci now.` },
      }),
    },
  ]);
  vi.stubGlobal('fetch', agent.fetch);
  window.sessionStorage.setItem(TOKEN_KEY, TOKEN);
  renderWithApi(<VfDriverControls hostId={HOST} model={model} vf={vf} busy={null} />, { baseUrl: STUB_BASE });
  return { agent, vf, user: userEvent.setup(), box: screen.getByRole('region', { name: 'Driver' }) };
}

beforeEach(() => window.sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('the VF driver', () => {
  it('binds a free VF to vfio-pci', async () => {
    const { agent, box, user, vf } = setup('0000:3b:12.3');
    expect(vf.vf.holder).toBeNull();
    await user.click(within(box).getByRole('button', { name: 'Bind to vfio-pci' }));
    await waitFor(() => expect(agent.writes()).toHaveLength(1));
    expect(agent.writes()[0]).toMatchObject({ method: 'PUT', path: `/api/v1/hosts/${HOST}/vfs/0000:3b:12.3/driver`, body: { driver: 'vfio-pci' }, authorization: `Bearer ${TOKEN}` });
    expect(await within(box).findByText(`VF ${vf.index} is on vfio-pci now.`)).toBeInTheDocument();
  });

  it('says why it cannot change while a running VM holds the VF', () => {
    const { box } = setup('0000:3b:02.0');
    const button = within(box).getByRole('button', { name: /vfio-pci|host driver/ });
    expect(button).toBeDisabled();
    expect(box).toHaveTextContent('nfv-router (VM 110) is running with this VF: its driver cannot change until the VM stops or releases it.');
  });
});

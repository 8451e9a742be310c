import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { labTopology, labVf } from '../test/fixtures';
import { startFixtureServer, type FixtureServer } from '../test/fixtureServer';
import { renderWithApi } from '../test/renderWithApi';
import { HostPage } from './HostPage';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({ 'pve-lab-01': labTopology() });
});
afterAll(() => server.close());

async function renderPage(query?: string, onQueryChange = vi.fn()) {
  const user = userEvent.setup();
  const utils = renderWithApi(<HostPage hostId="pve-lab-01" query={query} onQueryChange={onQueryChange} />, { baseUrl: server.baseUrl, openEvents: null });
  await screen.findByRole('application');
  return { user, onQueryChange, ...utils };
}

const box = () => screen.getByRole('combobox', { name: /^Find VFs/ });
const dimming = () => document.querySelector('style[data-find-dimming]')?.textContent ?? '';

describe('HostPage search', () => {
  it('applies the query the address bar holds: lists the matches with host, PF and state, and dims the rest', async () => {
    await renderPage('numa:1 free');
    expect(box()).toHaveValue('numa:1 free');
    const list = await screen.findByRole('region', { name: 'search matches' });
    const rows = within(list).getAllByRole('button');
    expect(rows).toHaveLength(13);
    expect(rows[0]).toHaveTextContent(`VF 3${labVf.cx6p0(3)}pve-lab-01.example.net · ConnectX-6 Dx port 0 (ens3f0np0)free`);
    expect(within(list).getByText('NUMA 1 · free')).toBeInTheDocument();
    expect(dimming()).toContain('.graph [data-node], .graph [data-edge] { opacity: 0.22 }');
    expect(dimming()).toContain(`[data-node="vf:${labVf.cx6p0(3)}"]`);
    expect(dimming()).not.toContain(`[data-node="vf:${labVf.cx6p0(0)}"]`);
  });

  it('selects a match in the graph when its row is clicked', async () => {
    const { user } = await renderPage('vm:db-01');
    const list = await screen.findByRole('region', { name: 'search matches' });
    await user.click(within(list).getByRole('button', { name: new RegExp(labVf.cx6p0(2)) }));
    const details = screen.getByRole('complementary', { name: 'details' });
    expect(await within(details).findByRole('heading', { name: /VF 2/ })).toBeInTheDocument();
  });

  it('says the query as typed to the address bar, and takes a new one from it', async () => {
    const user = userEvent.setup();
    const onQueryChange = vi.fn();
    function AddressBar() {
      const [query, setQuery] = useState<string | undefined>(undefined);
      return (
        <>
          <button type="button" onClick={() => setQuery('group:62')}>
            back
          </button>
          <HostPage hostId="pve-lab-01" query={query} onQueryChange={onQueryChange} />
        </>
      );
    }
    renderWithApi(<AddressBar />, { baseUrl: server.baseUrl, openEvents: null });
    await screen.findByRole('application');
    await user.type(box(), 'free');
    expect(onQueryChange).toHaveBeenLastCalledWith('free');
    await user.clear(box());
    expect(onQueryChange).toHaveBeenLastCalledWith('');
    await user.click(screen.getByRole('button', { name: 'back' }));
    await waitFor(() => expect(box()).toHaveValue('group:62'));
  });

  it('offers the drivers of this host after driver:, and Enter on one puts it in the box', async () => {
    const { user } = await renderPage();
    await user.type(box(), 'dri');
    const listbox = screen.getByRole('listbox', { name: 'suggestions' });
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['driver: bound driver']);
    await user.keyboard('{ArrowDown}');
    expect(box()).toHaveAttribute('aria-activedescendant', within(listbox).getByRole('option').id);
    await user.keyboard('{Enter}');
    expect(box()).toHaveValue('driver:');
    expect(within(screen.getByRole('listbox', { name: 'suggestions' })).getAllByRole('option').map((o) => o.textContent?.split(' ')[0])).toEqual([
      'driver:iavf',
      'driver:ice',
      'driver:igb',
      'driver:mlx5_core',
      'driver:vfio-pci',
    ]);
    await user.keyboard('{ArrowUp}{ArrowUp}{Enter}');
    expect(box()).toHaveValue('driver:mlx5_core ');
    expect(box()).toHaveAttribute('aria-expanded', 'false');
    await waitFor(() => expect(screen.getByRole('region', { name: 'search matches' })).toHaveTextContent('driver mlx5_core'));
  });

  it('closes the suggestions with Escape, then clears the box with a second Escape', async () => {
    const { user } = await renderPage();
    await user.type(box(), 'numa:');
    expect(box()).toHaveAttribute('aria-expanded', 'true');
    await user.keyboard('{Escape}');
    expect(box()).toHaveAttribute('aria-expanded', 'false');
    expect(box()).toHaveValue('numa:');
    await user.keyboard('{Escape}');
    expect(box()).toHaveValue('');
  });

  it('says under the box what it did not understand, and dims nothing for it', async () => {
    const { user } = await renderPage();
    await user.type(box(), 'speed:fast');
    expect(await screen.findByText(/"speed:fast" is not understood: a speed is a number with M, G or T/)).toBeInTheDocument();
    expect(box()).toHaveAttribute('aria-invalid', 'true');
    expect(box()).toHaveAccessibleDescription(/speed:100G/);
    expect(dimming()).toBe('');
  });
});

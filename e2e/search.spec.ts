/// <reference lib="dom" />
// Code inside evaluate() callbacks runs in the page, with the DOM.
import { expect, test, type Page } from '@playwright/test';
import { agentUrl, expectedStates, openHost, topologyOf } from './agent';

const box = (page: Page) => page.getByRole('combobox', { name: /^Find VFs/ });
const opacityOf = (page: Page, address: string) => page.locator(`[data-vf="${address}"]`).evaluate((el) => Number(getComputedStyle(el).opacity));

test.describe('the search box over the demo host', () => {
  test('numa:1 free lists the free VFs of NUMA node 1 with host, PF and state, dims the rest, and a row selects its VF', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const states = expectedStates(topology);
    const all = topology.pfs.flatMap((pf) => pf.vfs.map((vf) => ({ vf, numa: vf.numaNode ?? pf.numaNode })));
    const wanted = all.filter((v) => v.numa === 1 && states.get(v.vf.address) === 'free').map((v) => v.vf.address);
    const other = all.find((v) => !wanted.includes(v.vf.address))!.vf.address;
    expect(wanted.length).toBeGreaterThan(0);
    await openHost(page, url);
    await page.getByRole('button', { name: 'Expand all' }).click();

    await box(page).fill('numa:1 free');
    const list = page.getByRole('region', { name: 'search matches' });
    await expect(list).toContainText('NUMA 1 · free');
    const rows = list.locator('[data-find-match]');
    await expect(rows).toHaveCount(Math.min(wanted.length, 40));
    const listed = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-find-match')));
    expect(listed).toEqual(wanted.slice(0, 40).map((a) => `vf:${a}`));
    await expect(rows.first()).toContainText(topology.host.hostname);
    await expect(rows.first()).toContainText('port');
    await expect(rows.first()).toContainText('free');

    await expect.poll(() => opacityOf(page, wanted[0]!)).toBe(1);
    await expect.poll(() => opacityOf(page, other)).toBeLessThan(0.5);

    await rows.first().click();
    const details = page.getByRole('complementary', { name: 'details' });
    await expect(details).toContainText(wanted[0]!);
    // The selection joins the search in the address bar; neither drops the other.
    await expect(page).toHaveURL(new RegExp(`[?&]select=${wanted[0]!.replace(/\./g, '\\.')}(&|$)`));
    await expect(page).toHaveURL(/[?&]q=numa:1\+free(&|$)/);
  });

  test('a suggestion is picked with the keyboard: a key, then a driver this host has', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const drivers = [...new Set(topology.pfs.flatMap((pf) => [pf.driver, ...pf.vfs.map((v) => v.driver)]).filter((d): d is string => !!d))].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true }),
    );
    await openHost(page, url);

    await page.locator('body').press('/');
    await expect(box(page)).toBeFocused();
    await page.keyboard.type('dri');
    const listbox = page.getByRole('listbox', { name: 'suggestions' });
    await expect(listbox.getByRole('option')).toHaveText([/^driver:/]);
    await page.keyboard.press('ArrowDown');
    await expect(listbox.getByRole('option', { selected: true })).toContainText('driver:');
    await page.keyboard.press('Enter');
    await expect(box(page)).toHaveValue('driver:');
    await expect(listbox.getByRole('option')).toHaveCount(Math.min(drivers.length, 8));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(box(page)).toHaveValue(`driver:${drivers[0]} `);
    await expect(box(page)).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByRole('region', { name: 'search matches' })).toContainText(`driver ${drivers[0]}`);
    await page.keyboard.press('Escape');
    await expect(box(page)).toHaveValue('');
  });

  test('the address bar carries the query, and a reload keeps it', async ({ page, request }) => {
    const url = agentUrl('demo');
    await topologyOf(request, url);
    await openHost(page, url);
    await box(page).fill('numa:1 free');
    await expect(page).toHaveURL(/[?&]q=numa:1\+free(&|$)/);
    await expect(page).toHaveURL(/[?&]host=/);

    await page.reload();
    // The graph, or on a phone the list (the default below 700 px): either way the box has the query.
    await expect(box(page)).toHaveValue('numa:1 free');
    await expect(page.getByRole('region', { name: 'search matches' })).toContainText('NUMA 1 · free');

    await box(page).fill('');
    await expect(page).not.toHaveURL(/[?&]q=/);
  });

  test('a term it does not understand is said under the box', async ({ page, request }) => {
    const url = agentUrl('demo');
    await topologyOf(request, url);
    await openHost(page, url);
    await box(page).fill('free numa:x');
    await expect(page.getByText('"numa:x" is not understood: a NUMA node is a number, like numa:1')).toBeVisible();
    await expect(box(page)).toHaveAttribute('aria-invalid', 'true');
    await box(page).fill('speed:fast');
    await expect(page.getByText(/"speed:fast" is not understood/)).toBeVisible();
    await box(page).fill('free');
    await expect(page.getByText(/is not understood/)).toHaveCount(0);
  });
});

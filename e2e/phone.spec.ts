/// <reference lib="dom" />
import { test as base, expect, type Page } from '@playwright/test';
import { Topology, vfState } from '@vfmap/model';
import { agentUrl, expectedStates, topologyOf } from './agent';
import { startDemo } from './demoProcess';

/**
 * The core tasks on a phone (the `phone` project: 390×844, touch), in the list the page shows
 * below 700 px: find a free VF, open its details, give it to a VM and take it back, change a
 * PF's VF count. The writes run on a demo of their own, as in writes.spec.ts.
 */
const TOKEN = 'e2e-phone-token-0123456789abcdef';

const test = base.extend<{ agent: { url: string; hostId: string } }>({
  agent: async ({}, use) => {
    const demo = await startDemo('demo', { env: { VFMAP_TOKEN: TOKEN } });
    try {
      const hosts = (await (await fetch(`${demo.url}/api/v1/hosts`)).json()) as { hosts: { id: string }[] };
      await use({ url: demo.url, hostId: hosts.hosts[0]!.id });
    } finally {
      await demo.stop();
    }
  },
});

const details = (page: Page) => page.getByRole('complementary', { name: 'details' });
const list = (page: Page) => page.getByRole('region', { name: /as a list$/ });

async function topologyNow(url: string, hostId: string): Promise<Topology> {
  return Topology.parse(await (await fetch(`${url}/api/v1/hosts/${hostId}/topology`, { cache: 'no-store' })).json());
}

/** Nothing on the page is wider than the window: no sideways scrolling. */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
}

async function openList(page: Page, url: string, token?: string) {
  if (token) await page.addInitScript((t) => sessionStorage.setItem('vfmap.writeToken', t), token);
  await page.goto(url);
  await expect(list(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'List', pressed: true })).toBeVisible();
}

test.describe('the page on a phone, over the demo host', () => {
  test('lists every VF with its state and holder, finds the free ones, and keeps the graph one tap away', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    await openList(page, url);
    await expectNoSidewaysScroll(page);
    await page.getByRole('button', { name: 'Expand all' }).tap();

    const expected = expectedStates(topology);
    const listed = new Map(await page.locator('[data-list-vf]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-list-vf')!, e.getAttribute('data-state')!] as const)));
    expect(listed).toEqual(expected);
    const held = topology.pfs.flatMap((p) => p.vfs).find((v) => v.holder)!;
    await expect(page.locator(`[data-list-vf="${held.address}"]`)).toContainText(`held${held.holder!.vmName}`);

    // Only free VFs: the list keeps exactly the free ones.
    await page.getByRole('checkbox', { name: 'Only free VFs' }).check();
    const free = [...expected].filter(([, s]) => s === 'free').map(([a]) => a);
    await expect(page.locator('[data-list-vf]')).toHaveCount(free.length);
    expect(await page.locator('[data-list-vf]').evaluateAll((els) => els.map((e) => e.getAttribute('data-list-vf')).sort())).toEqual(free.sort());

    // Its details cover the window, full width, and close back to the list.
    await page.locator(`[data-list-vf="${free[0]}"]`).tap();
    const panel = details(page);
    await expect(panel.getByRole('region', { name: new RegExp(`VF \\d+ ${free[0]}`) })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Assign to VM…' })).toBeVisible();
    const box = (await page.locator('.details-sheet.open').boundingBox())!;
    expect(box.width).toBe(page.viewportSize()!.width);
    await expect(list(page)).toBeHidden();
    await expectNoSidewaysScroll(page);
    await page.getByRole('button', { name: 'Close the details' }).tap();
    await expect(page.locator('.details-sheet.open')).toHaveCount(0);

    // The graph is one tap away, and it is wider than 10 px.
    await page.getByRole('button', { name: 'Graph' }).tap();
    const graph = page.getByRole('application');
    await expect(graph).toBeVisible();
    expect((await graph.boundingBox())!.width).toBeGreaterThan(300);
    await expect(page.locator(`[data-vf="${free[0]}"]`)).toHaveCount(1);
    await page.getByRole('button', { name: 'List' }).tap();
    await expect(list(page)).toBeVisible();
  });

  test('gives a free VF to a VM and takes it back, and changes a PF\'s VF count, from the list', async ({ page, agent }) => {
    await openList(page, agent.url, TOKEN);
    const before = await topologyNow(agent.url, agent.hostId);
    const vm = before.vms.find((v) => v.state === 'running')!;
    const vf = before.pfs.flatMap((p) => p.vfs).find((v) => vfState(v, before) === 'free')!;
    const row = page.locator(`[data-list-vf="${vf.address}"]`);
    await expect(row).toHaveAttribute('data-state', 'free');

    await row.tap();
    await details(page).getByRole('button', { name: 'Assign to VM…' }).tap();
    const picker = page.getByRole('dialog');
    await expectNoSidewaysScroll(page);
    await picker.getByRole('radio', { name: new RegExp(vm.name) }).check();
    await picker.getByRole('button', { name: `Assign to ${vm.name}` }).tap();
    await expect(details(page).getByText(`In effect now: ${vm.name} is running`)).toBeVisible();
    await page.getByRole('button', { name: 'Close the details' }).tap();
    await expect(row).toHaveAttribute('data-state', 'assigned');
    await expect(row).toContainText(vm.name);

    await row.tap();
    await details(page).getByRole('button', { name: `Release from ${vm.name}…` }).tap();
    await page.getByRole('dialog').getByRole('button', { name: 'Release' }).tap();
    await page.getByRole('button', { name: 'Close the details' }).tap();
    await expect(row).toHaveAttribute('data-state', 'free');

    // SR-IOV off on a PF: the list says so; 4 VFs later it lists them, free.
    const pf = before.pfs.find((p) => p.numVfs === 0 && p.driver !== null && p.totalVfs >= 4)!;
    const item = page.locator(`[data-list-pf="${pf.address}"]`);
    await expect(item).toContainText(`SR-IOV off: 0 of ${pf.totalVfs} VFs`);
    await item.getByRole('button', { name: /^Change the VF count of/ }).tap();
    await details(page).getByRole('spinbutton', { name: 'VFs wanted' }).fill('4');
    await details(page).getByRole('button', { name: 'Review the change…' }).tap();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable 4 VFs' }).tap();
    await expect(details(page).getByText(`Enabled 4 VFs on ${pf.address}.`)).toBeVisible();
    await page.getByRole('button', { name: 'Close the details' }).tap();
    await expect(item.locator('[data-list-vf][data-state="free"]')).toHaveCount(4);
    expect((await topologyNow(agent.url, agent.hostId)).pfs.find((p) => p.address === pf.address)!.numVfs).toBe(4);
  });

  // A phone or tablet with a keyboard (a Bluetooth one, or a small window on a desktop): the
  // keyboard walk of keyboard.spec.ts, on the list this width shows.
  test("from the keyboard: the skip link reaches the list, Enter opens a VF's details and Escape closes them back on its row", async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    await openList(page, url);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: /^Skip to the/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();

    // Tab from the top of <main> to the first VF row the list shows.
    const firstVf = (await page.locator('[data-list-vf]').first().getAttribute('data-list-vf'))!;
    const row = page.locator(`[data-list-vf="${firstVf}"]`);
    for (let i = 0; i < 60 && !(await row.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(row).toBeFocused();

    await page.keyboard.press('Enter');
    await expect(details(page)).toBeVisible();
    await expect(details(page)).toContainText(firstVf);
    const vf = topology.pfs.flatMap((p) => p.vfs).find((v) => v.address === firstVf)!;
    if (vf.holder) await expect(details(page)).toContainText(vf.holder.vmName);

    // The sheet takes the focus (its close button) while it covers the list.
    const close = page.getByRole('button', { name: 'Close the details' });
    await expect(close).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(close).toHaveCount(0);
    await expect(page).not.toHaveURL(/select=/);
    await expect(row).toBeFocused();
  });
});

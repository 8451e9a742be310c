/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { vfState } from '@vfmap/model';
import { details, openWithToken, selectPf, test } from './tokenAgent';

/**
 * axe-core (4.13) over the demo page in both themes: the graph, the details panel of a PF and of
 * a VF (with its settings form), and each dialog the page opens (the VF count, assign, Prepare).
 * Every state must come out with no violation at all, whatever its impact.
 */
// axe runs over the whole page once per view and dialog: 45–70 s a theme on a 2-core machine, more beside other work.
test.describe.configure({ timeout: 240_000 });

async function violations(page: Page, what: string): Promise<void> {
  // label-content-name-mismatch is experimental in 4.13 (off unless asked for): asked for.
  const result = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(found, `axe on ${what}`).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations on the graph, the details and each dialog (${colorScheme})`, async ({ page, agent }) => {
    await page.emulateMedia({ colorScheme });
    const topology = await agent.topology();
    await openWithToken(page, agent.url);
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
    await violations(page, 'the graph');

    // A PF with SR-IOV on and a free VF: its details, the count dialog, Prepare.
    const pf = topology.pfs.find((p) => p.driver !== null && p.netdevs.length > 0 && p.vfs.some((v) => vfState(v, topology) === 'free'))!;
    expect(pf, 'the demo has a NIC PF with a free VF').toBeDefined();
    await selectPf(page, pf.address);
    await violations(page, 'the details of a PF');

    await details(page).getByRole('spinbutton', { name: 'VFs wanted' }).fill(String(Math.max(1, pf.numVfs - 1)));
    await details(page).getByRole('button', { name: 'Review the change…' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await violations(page, 'the VF count dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await details(page).getByRole('button', { name: 'Prepare VFs for VMs…' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await violations(page, 'the Prepare dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // A free VF: its details with the settings form (inline, not a dialog), then the assign dialog.
    const vf = pf.vfs.find((v) => vfState(v, topology) === 'free')!;
    await page.locator(`[data-vf="${vf.address}"]`).click();
    await expect(details(page).getByRole('form', { name: `Settings of VF ${vf.index}` })).toBeVisible();
    await violations(page, 'the details of a VF and its settings');

    await details(page).getByRole('button', { name: 'Assign to VM…' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await violations(page, 'the assign dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // A held VF: the release dialog.
    const held = topology.pfs.flatMap((p) => p.vfs).find((v) => v.holder?.vmId)!;
    await page.locator(`[data-vf="${held.address}"]`).click();
    await details(page).getByRole('button', { name: /^Release from / }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await violations(page, 'the release dialog');
  });
}

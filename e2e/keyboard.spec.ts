/// <reference lib="dom" />
import { expect, type Locator, type Page } from '@playwright/test';
import { details, openWithToken, pfOf, test } from './tokenAgent';

/**
 * The page from the keyboard alone, over a demo agent of the test's own: the skip link, arrow
 * keys through the graph (one tab stop), Enter and Escape for the details, and the focus kept on
 * the item a write changed.
 */
test.describe.configure({ timeout: 60_000 });

/** The graph item the keyboard is on (its data-node), or what else has the focus. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('data-node') ?? el?.getAttribute('role') ?? el?.tagName ?? '';
  });
}

/** Down from wherever the keyboard is in the graph until it is on `node` (cards and PFs, in drawing order). */
async function downTo(page: Page, node: string): Promise<void> {
  for (let i = 0; i < 30 && (await focused(page)) !== node; i++) await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe(node);
}

/** Tab until `target` has the focus (at most `stops` presses). */
async function tabTo(page: Page, target: Locator, stops = 40): Promise<void> {
  for (let i = 0; i < stops; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('reaches the graph from the top in two stops, moves to a VF, opens and closes its details, and keeps the focus on a PF after a count change', async ({ page, agent }) => {
  const topology = await agent.topology();
  await openWithToken(page, agent.url);

  // Stop 1: the skip link; Enter: the graph.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the graph' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('application')).toBeFocused();

  // The first drawn strip's PF, then right onto its first VF.
  const firstVf = (await page.locator('[data-vf]').first().getAttribute('data-vf'))!;
  const pf = topology.pfs.find((p) => p.vfs.some((v) => v.address === firstVf))!;
  await page.keyboard.press('ArrowDown');
  await downTo(page, `pf:${pf.address}`);
  await page.keyboard.press('ArrowRight');
  const vf = page.locator(`[data-vf="${firstVf}"]`);
  await expect(vf).toBeFocused();
  // Visibly outlined: the focus ring is the select colour's stroke.
  expect(await vf.evaluate((el) => getComputedStyle(el).strokeWidth)).toBe('3px');

  await page.keyboard.press('Enter');
  await expect(details(page)).toContainText(firstVf);
  await expect(page).toHaveURL((url) => url.searchParams.get('select') === firstVf);

  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/select=/);
  await expect(vf).toBeFocused();

  // Escape from inside the details panel too: back on the VF.
  await page.keyboard.press('Enter');
  await tabTo(page, details(page).getByRole('button').first());
  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/select=/);
  await expect(vf).toBeFocused();

  // A count change from the keyboard: the PF with SR-IOV off, 4 VFs, confirmed in the dialog.
  const off = topology.pfs.find((p) => p.numVfs === 0 && p.driver !== null && p.totalVfs >= 4)!;
  expect(off, 'the demo has a PF with SR-IOV off').toBeDefined();
  await page.keyboard.press('ArrowLeft');
  await downTo(page, `pf:${off.address}`);
  await page.keyboard.press('Enter');
  const wanted = details(page).getByRole('spinbutton', { name: 'VFs wanted' });
  await tabTo(page, wanted);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('4');
  await tabTo(page, details(page).getByRole('button', { name: 'Review the change…' }));
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog').getByRole('button', { name: 'Enable 4 VFs' });
  await tabTo(page, confirm, 10);
  await page.keyboard.press('Enter');

  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect.poll(async () => pfOf(await agent.topology(), off.address).numVfs).toBe(4);
  await expect(page.locator(`[data-node="pf:${off.address}"]`)).toBeFocused();
  // And the keyboard goes on from there: right onto the PF's new first VF.
  await expect(page.locator(`[data-vf="${pfOf(await agent.topology(), off.address).vfs[0]!.address}"]`)).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  expect(await focused(page)).toMatch(/^(vf|bar):/);
});

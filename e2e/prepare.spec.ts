/// <reference lib="dom" />
import { expect } from '@playwright/test';
import { details, openWithToken, pfOf, selectPf, test, type TokenAgent } from './tokenAgent';

/**
 * "Prepare VFs for VMs" from the page over the real agent: the plan first (a dry run), then the
 * operation, its steps ticked off from operation.progress events. Needs POST …/pfs/:pf/prepare
 * (issue 14).
 */
test.describe.configure({ timeout: 90_000 });

test('prepares 4 VFs for VMs on a PF: vfio-pci, stable MACs and a VLAN, shown as a plan first', async ({ page, agent }) => {
  const before = await agent.topology();
  const pf = before.pfs.find((p) => p.numVfs === 0 && p.driver !== null && p.netdevs.length > 0 && p.totalVfs >= 4);
  expect(pf, 'the demo has a NIC PF with SR-IOV off').toBeDefined();

  await openWithToken(page, agent.url);
  await selectPf(page, pf!.address);
  await details(page).getByRole('button', { name: 'Prepare VFs for VMs…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('VFs', { exact: true }).fill('4');
  await expect(dialog.getByRole('checkbox', { name: /Bind every VF to vfio-pci/ })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /Stable MACs/ })).toBeChecked();
  await dialog.getByLabel('VLAN for all').fill('100');

  let posts = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/prepare')) posts++;
  });
  await dialog.getByRole('button', { name: 'Show the plan' }).click();
  const plan = dialog.getByRole('region', { name: 'the plan' });
  await expect(plan.locator('[data-step-kind="numvfs"]')).toBeVisible();
  // The plan is the agent's dry run: nothing changed on the host.
  expect(pfOf(await agent.topology(), pf!.address).numVfs).toBe(0);
  const macs = await plan.locator('.mac-list code').allTextContents();
  expect(macs).toHaveLength(4);
  expect(new Set(macs).size).toBe(4);
  await expect(dialog).toContainText('Nothing has been written yet.');

  await dialog.getByRole('button', { name: 'Run: prepare 4 VFs' }).click();
  // Progress arrives step by step; at the end every step is ticked off and the agent's account shows.
  await expect(dialog.getByRole('status').filter({ hasText: /Done/ })).toBeVisible({ timeout: 45_000 });
  const states = await dialog.locator('.plan-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-state')));
  expect(states.every((s) => s === 'done')).toBe(true);
  expect(posts).toBe(2);
  await dialog.getByRole('button', { name: 'Close' }).click();

  const after = pfOf(await agent.topology(), pf!.address);
  expect(after.numVfs).toBe(4);
  for (const vf of after.vfs) {
    expect(vf.driverOverride ?? vf.driver).toBe('vfio-pci');
    expect(vf.config?.vlan).toBe(100);
  }
  expect(after.vfs.map((v) => v.config?.mac)).toEqual(macs);
  for (const vf of after.vfs) await expect(page.locator(`[data-vf="${vf.address}"]`)).toBeVisible();
});

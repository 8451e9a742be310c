/// <reference lib="dom" />
import { expect } from '@playwright/test';
import { vfState } from '@vfmap/model';
import { details, openWithToken, test, type TokenAgent } from './tokenAgent';

/**
 * A VF's settings edited in the details panel, over the real agent and the simulated kernel
 * (which keeps each VF's settings as the real one does): needs PUT …/vfs/:vf/config (issue 14).
 */
test.describe.configure({ timeout: 60_000 });

test('sets a VF\'s VLAN and MAC in the details panel, and reads them back', async ({ page, agent }) => {
  const before = await agent.topology();
  const vf = before.pfs.flatMap((p) => p.vfs).find((v) => v.config !== null && vfState(v, before) === 'free');
  expect(vf, 'the demo has a free VF with settings').toBeDefined();
  const mac = '02:e2:e0:00:00:2a';
  const vlan = vf!.config!.vlan === 100 ? 101 : 100;

  await openWithToken(page, agent.url);
  await page.locator(`[data-vf="${vf!.address}"]`).click();
  const form = details(page).getByRole('form', { name: `Settings of VF ${vf!.index}` });
  await expect(form.getByLabel('VLAN', { exact: true })).toHaveValue(String(vf!.config!.vlan));
  await form.getByLabel('VLAN', { exact: true }).fill(String(vlan));
  await form.getByLabel('MAC', { exact: true }).fill(mac);
  const sent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith(`/vfs/${vf!.address}/config`));
  await form.getByRole('button', { name: 'Apply 2 changes' }).click();
  const request = await sent;
  expect(request.postDataJSON()).toMatchObject({ mac, vlan });
  // The ETag the page read the host with (strong, quoted), so a write over a changed host is refused.
  expect(request.headers()['if-match']).toMatch(/^"[^"]+"$/);

  // The agent's account, then the form starts again at what the driver reports now.
  await expect(details(page).getByRole('status').filter({ hasText: /Done/ })).toBeVisible();
  await expect(form.getByLabel('VLAN', { exact: true })).toHaveValue(String(vlan));
  await expect(form.getByLabel('MAC', { exact: true })).toHaveValue(mac);
  await expect(form.getByRole('button', { name: 'Apply', exact: true })).toBeDisabled();

  // Read back independently of the page: the topology as the agent reads the kernel.
  const after = (await agent.topology()).pfs.flatMap((p) => p.vfs).find((v) => v.address === vf!.address)!;
  expect(after.config).toMatchObject({ mac, vlan });
});

test('refuses a multicast MAC on the page, before anything is sent', async ({ page, agent }) => {
  const before = await agent.topology();
  const vf = before.pfs.flatMap((p) => p.vfs).find((v) => v.config !== null)!;
  await openWithToken(page, agent.url);
  await page.locator(`[data-vf="${vf.address}"]`).click();
  const form = details(page).getByRole('form', { name: `Settings of VF ${vf.index}` });
  let puts = 0;
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts++;
  });
  await form.getByLabel('MAC', { exact: true }).fill('01:00:5e:00:00:01');
  await expect(form.getByRole('alert')).toContainText('must be unicast');
  await expect(form.getByRole('button', { name: 'Apply 1 change' })).toBeDisabled();
  await form.getByLabel('MAC', { exact: true }).press('Enter');
  expect(puts).toBe(0);
});

/// <reference lib="dom" />
import { expect } from '@playwright/test';
import { openHost } from './agent';
import { details, openWithToken, selectPf, TOKEN } from './tokenAgent';
import { test } from './profileDemo';

/**
 * Drift over the real agent: the simulated host `drift` has one finding of each kind where the VM
 * configs and the running QEMUs disagree (packages/simhost/src/hostProfiles/drift.ts). The page
 * marks the slots the findings name, explains a finding in the details panel, and lists every
 * finding in the Checks tab, the one about a VF the host lacks included. And on `sriov-blocked`,
 * whose X710 port 0 carries vmbr0 and the default route, a count change is refused with 409
 * management-path until it is sent again forced.
 */

test.describe.configure({ timeout: 90_000 });

/** The VF a hand-started QEMU (pid 5150) holds and no VM config names. */
const HAND_HELD = '0000:01:11.0';
/** VF 5: a stale reservation of the stopped VM batch, and left on vfio-pci. */
const LEFT_BEHIND = '0000:01:11.2';

test('marks a VF a drift finding names, and explains it in the details when the mark is clicked', async ({ page, demo }) => {
  const { url } = await demo('drift');
  await openHost(page, url);
  const badge = page.getByRole('img', { name: `Config and reality differ: qemu pid 5150 holds ${HAND_HELD}; no VM configuration names it` });
  await expect(badge).toHaveAttribute('data-drift-badge', HAND_HELD);
  await expect(badge).toHaveAttribute('data-severity', 'warn');
  // Two findings on one VF: the mark takes the worse.
  await expect(page.locator(`[data-drift-badge="${LEFT_BEHIND}"]`)).toHaveAttribute('aria-label', 'Config and reality differ: 2 findings, worst: warn');
  // The shared group of the second 82576 fails, on both VMs' VFs.
  await expect(page.locator('[data-drift-badge][data-severity="fail"]')).toHaveCount(2);

  await badge.click();
  const section = details(page).getByRole('region', { name: 'Config and reality differ' });
  const finding = section.locator('li[data-drift-kind="held-not-configured"]');
  await expect(finding).toContainText(`qemu pid 5150 holds ${HAND_HELD}; no VM configuration names it`);
  await expect(finding.getByRole('button', { name: 'VM scratch', exact: true })).toBeVisible();
  await expect(finding).toContainText('every config says it is free');
  await expect(finding).toContainText('Fix: Name the device in the VM');
  await expect(finding.getByRole('table', { name: 'Evidence' })).toContainText('/proc/5150/cmdline');
  await expect(finding.getByRole('table', { name: 'Evidence' })).toContainText(`-device vfio-pci,host=${HAND_HELD}`);
  // The holder line says where the holder comes from, in the same words as the finding.
  await expect(details(page)).toContainText('Its running process holds it; no VM configuration names it.');
});

test("lists every drift finding in the host's Checks tab, the VF a config names that the host lacks included", async ({ page, demo }) => {
  const { url } = await demo('drift');
  await openHost(page, url);
  await page.getByRole('tab', { name: 'Checks' }).click();
  const drift = page.getByRole('region', { name: 'Drift' });
  const items = drift.locator('li[data-drift-kind]');
  await expect(items).toHaveCount(8);
  await expect(items.first()).toHaveAttribute('data-severity', 'fail');
  const missing = drift.locator('li[data-drift-kind="config-names-missing-vf"]');
  await expect(missing).toContainText('VM 102 (batch) hostpci0 names 0000:01:11.4, which this host does not have');
  await expect(missing).toContainText('0000:01:11.4 — not on this host, a VF of 0000:01:00.0 · VM 102 batch');
  await expect(missing.getByRole('button', { name: 'Show 0000:01:11.4 in the graph' })).toHaveCount(0);
  await expect(missing.getByRole('button', { name: 'Show its PF 0000:01:00.0 in the graph' })).toBeVisible();
  await missing.getByText('Why, the fix and the evidence').click();
  await expect(missing).toContainText('the VM fails at its next start');
  // The Checks of the host are still there, below.
  await expect(page.getByRole('region', { name: 'Checks', exact: true })).toBeVisible();

  // A finding about a drawn VF leads to it: the graph, the VF selected, both its findings explained.
  await drift.locator('li[data-drift-kind="stale-reservation"]').getByRole('button', { name: `Show ${LEFT_BEHIND} in the graph` }).click();
  await expect(page.getByRole('application')).toBeVisible();
  const section = details(page).getByRole('region', { name: 'Config and reality differ' });
  await expect(section.locator('li[data-drift-kind]')).toHaveCount(2);
  await expect(section.locator('li[data-drift-kind="vfio-bound-without-holder"]')).toContainText('is bound to vfio-pci, but no VM holds or names it');
  await expect(section.locator('li[data-drift-kind="stale-reservation"]').getByRole('table', { name: 'Evidence' })).toContainText(`${LEFT_BEHIND} 102 pid:4999`);
});

test("shows the agent's management-path refusal of a count change, and changes it when forced", async ({ page, demo }) => {
  const { url } = await demo('sriov-blocked', { VFMAP_TOKEN: TOKEN });
  const pf = '0000:18:00.0';
  await openWithToken(page, url);
  await selectPf(page, pf);
  await details(page).getByRole('spinbutton', { name: 'VFs wanted' }).fill('2');
  await details(page).getByRole('button', { name: 'Review the change…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Change to 2 VFs' }).click();

  const dialog = page.getByRole('dialog');
  const refusal = dialog.getByRole('alert');
  await expect(refusal).toHaveAttribute('data-refusal', 'management-path');
  await expect(refusal).toContainText(`${pf} (ens1f0) carries the host's default route through vmbr0`);
  await expect(refusal).toContainText('Default route: vmbr0 → ens1f0.');
  await expect(page.locator(`[data-vf]`)).toHaveCount(4);
  const confirm = dialog.getByRole('button', { name: 'Force: change to 2 VFs' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('checkbox', { name: /Change anyway \(force\)/ }).check();
  await confirm.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator(`[data-vf]`)).toHaveCount(2);
});

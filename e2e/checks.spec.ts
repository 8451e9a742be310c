/// <reference lib="dom" />
import { expect } from '@playwright/test';
import { openHost } from './agent';
import { details, selectPf } from './tokenAgent';
import { test } from './profileDemo';

/**
 * The checks panel ("what stops SR-IOV here") over the real agent: on a host booted without an
 * IOMMU, with vmbr0 on a PF and an X520 whose SR-IOV is switched off in firmware (profile
 * sriov-blocked), and on one whose VFs share their PF's IOMMU group (edge-cases). Needs GET
 * …/checks (issue 15).
 */

test.describe.configure({ timeout: 90_000 });

test('shows the IOMMU off first, with its evidence and the fix', async ({ page, demo }) => {
  const { url } = await demo('sriov-blocked');
  await openHost(page, url);
  await page.getByRole('tab', { name: 'Checks' }).click();
  const checks = page.getByRole('region', { name: 'Checks', exact: true });
  const first = checks.locator('li[data-check]').first();
  await expect(first).toHaveAttribute('data-check', 'iommu');
  await expect(first).toHaveAttribute('data-status', 'fail');
  await first.locator('summary').click();
  await expect(first.getByRole('table', { name: 'Evidence' })).toContainText('/proc/cmdline');
  await expect(first.getByRole('table', { name: 'Evidence' })).toContainText('iommu=pt');
  await expect(first).toContainText('Fix on Proxmox VE');
  await expect(first).toContainText('intel_iommu=on');
  await expect(checks.locator('li[data-check="sriov-switched-off"][data-status="fail"]')).toHaveCount(2);
  await expect(checks.locator('li[data-check="management-path"][data-target="0000:18:00.0"]')).toContainText('vmbr0');
});

test("shows a shared IOMMU group in the host's checks and in its PF's details", async ({ page, demo }) => {
  const { url } = await demo('edge-cases');
  await openHost(page, url);
  const pf = '0000:03:00.0';
  await selectPf(page, pf);
  const pfChecks = details(page).getByRole('region', { name: `Checks of ${pf}` });
  await expect(pfChecks.locator('li[data-check="shared-iommu-groups"]')).toHaveAttribute('data-status', 'warn');
  await page.getByRole('tab', { name: 'Checks' }).click();
  const shared = page.getByRole('region', { name: 'Checks', exact: true }).locator(`li[data-check="shared-iommu-groups"][data-target="${pf}"]`);
  await expect(shared).toContainText('share an IOMMU group');
  await shared.locator('summary').click();
  await expect(shared).toContainText('pcie_acs_override');
});

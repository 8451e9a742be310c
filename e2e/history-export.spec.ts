/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { expect, type Download, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { openHost } from './agent';
import { test as profileTest } from './profileDemo';
import { details, openWithToken, startTokenAgent, TOKEN, type TokenAgent } from './tokenAgent';

/**
 * The History tab (the audit log, live over the events) and the Export menu (the drawing as SVG
 * and PNG with its legend, the VF table as CSV) over the real agent; and the legend of a host
 * without an IOMMU.
 */
const test = profileTest.extend<{ agent: TokenAgent }>({
  agent: async ({}, use) => {
    const agent = await startTokenAgent();
    try {
      await use(agent);
    } finally {
      await agent.stop();
    }
  },
});

test.describe.configure({ timeout: 90_000 });

async function exported(page: Page, item: string): Promise<{ download: Download; body: Buffer }> {
  await page.locator('.export-menu summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('group', { name: 'export' }).getByRole('button', { name: item }).click()]);
  const path = await download.path();
  return { download, body: readFileSync(path) };
}

/** The SVG parsed by the browser: its root, a parse error if any, and the legend's words. */
async function parseSvg(page: Page, svg: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      root: doc.documentElement.localName,
      ns: doc.documentElement.namespaceURI,
      error: doc.querySelector('parsererror') !== null,
      legend: doc.querySelector('g.legend')?.textContent ?? null,
      slots: doc.querySelectorAll('g.drawing *').length,
    };
  }, svg);
}

test('a count change shows in History as it happens, with who and the result, and its link selects the PF', async ({ page, agent }) => {
  await openWithToken(page, agent.url);
  await expect(page.getByRole('status').filter({ hasText: 'Live: the agent pushes changes' })).toBeVisible();
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'history' });
  await expect(history).toBeVisible();

  const pf = (await agent.topology()).pfs.find((p) => p.numVfs === 0 && p.driver !== null && p.totalVfs >= 2)!;
  expect(pf, 'the demo has a PF with SR-IOV off').toBeDefined();
  const res = await agent.send('PUT', `pfs/${pf.address}/numvfs`, { count: 2 });
  expect(res.status).toBe(200);
  const { operationId } = (await res.json()) as { operationId: string };

  // Live: no reload, no click; the event stream brings it.
  const entry = history.locator(`li[data-operation="${operationId}"]`);
  await expect(entry).toContainText(`set the VF count of ${pf.address} from 0 to 2`);
  const principal = `token ${createHash('sha256').update(TOKEN).digest('hex').slice(0, 8)}`;
  await expect(entry.locator('.history-who')).toHaveText(principal);
  await expect(entry.locator('.history-client')).toContainText('from 127.0.0.1');
  await expect(entry.locator('.history-result')).toHaveText('ok');
  await expect(history.locator('li[data-operation]').first()).toHaveAttribute('data-operation', operationId);

  await entry.getByRole('button', { name: `set the VF count of ${pf.address} from 0 to 2` }).click();
  await expect(page.getByRole('tab', { name: 'Topology' })).toHaveAttribute('aria-selected', 'true');
  await expect(details(page).getByRole('region', { name: `PF ${pf.address}` })).toBeVisible();
});

test('exports the VF table as CSV, one row per VF, and the drawing as SVG and PNG with the legend', async ({ page, agent }) => {
  await openHost(page, agent.url);
  const topology = await agent.topology();
  const vfCount = topology.pfs.reduce((n, p) => n + p.vfs.length, 0);

  // The menu closes on Escape and on a click elsewhere, as a menu does.
  const items = page.getByRole('group', { name: 'export' });
  await page.locator('.export-menu summary').click();
  await expect(items).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(items).toBeHidden();
  await page.locator('.export-menu summary').click();
  await page.getByRole('complementary', { name: 'details' }).click();
  await expect(items).toBeHidden();

  const csv = await exported(page, 'VF table as CSV');
  expect(csv.download.suggestedFilename()).toMatch(/^vfmap-.*-vfs\.csv$/);
  const lines = csv.body.toString('utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('host,card,PF,VF,address,driver,interface,MAC,NUMA node,IOMMU group,state,holder');
  expect(lines).toHaveLength(1 + vfCount);
  const someVf = topology.pfs.flatMap((p) => p.vfs)[0]!;
  expect(lines.filter((l) => l.includes(`,${someVf.address},`))).toHaveLength(1);

  const svg = await exported(page, 'Drawing as SVG');
  expect(svg.download.suggestedFilename()).toMatch(/\.svg$/);
  const parsed = await parseSvg(page, svg.body.toString('utf8'));
  expect(parsed).toMatchObject({ root: 'svg', ns: 'http://www.w3.org/2000/svg', error: false });
  expect(parsed.slots).toBeGreaterThan(vfCount);
  expect(parsed.legend).toContain('free');
  expect(parsed.legend).toContain('held');

  const png = await exported(page, 'Drawing as PNG');
  expect(png.download.suggestedFilename()).toMatch(/\.png$/);
  expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.body.length).toBeGreaterThan(1000);
});

test('on a host without an IOMMU the legend says so and has no shared-group entry, on the page and in the SVG', async ({ page, demo }) => {
  const { url } = await demo('iommu-off');
  await openHost(page, url);
  const legend = page.getByRole('list', { name: 'legend' });
  await expect(legend).toContainText('IOMMU off: no VF can be passed through');
  await expect(legend).not.toContainText('shared IOMMU group');
  await expect(legend).not.toContainText('free');
  const svg = await exported(page, 'Drawing as SVG');
  const parsed = await parseSvg(page, svg.body.toString('utf8'));
  expect(parsed.legend).toContain('IOMMU off: no VF can be passed through');
  expect(parsed.legend).not.toContain('shared IOMMU group');
});

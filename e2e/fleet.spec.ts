import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AuditPage, Topology } from '@vfmap/model';
import { startDemo, type RunningDemo } from './demoProcess';

/**
 * A fleet of three real agents (`vfmap demo` processes over simulated hosts with their own ids):
 * `hv-a` (the demo profile) serves the fleet with --peer edge-b --peer edge-c (the minimal
 * profile: one 82576, VF 1 free, a stopped VM spare-vm). All three share a fleet credential, so
 * a write on hv-a's page for edge-b's VF is done by edge-b.
 */
const TOKEN = 'e2e-fleet-token-0123456789abcdef';
const FREE_VF = '0000:01:10.2';

let dir: string;
const demos: RunningDemo[] = [];
let hub: RunningDemo;
let edgeB: RunningDemo;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vfmap-e2e-fleet-'));
  const credential = join(dir, 'fleet.token');
  writeFileSync(credential, 'e2e-fleet-credential-0123456789\n', { mode: 0o600 });
  const shared = ['--fleet-token-file', credential];
  const env = { VFMAP_TOKEN: TOKEN };
  edgeB = await startDemo('minimal', { env, args: ['--host-id', 'edge-b', ...shared] });
  const edgeC = await startDemo('minimal', { env, args: ['--host-id', 'edge-c', ...shared] });
  demos.push(edgeB, edgeC);
  hub = await startDemo('demo', { env, args: ['--host-id', 'hv-a', ...shared, '--peer', edgeB.url, '--peer', edgeC.url] });
  demos.push(hub);
});

test.afterAll(async () => {
  await Promise.all(demos.map((d) => d.stop()));
  rmSync(dir, { recursive: true, force: true });
});

test('opens on the fleet, searches it, opens a host with the VF selected and assigns it there', async ({ page, request }) => {
  await page.goto(`${hub.url}/`);
  const tiles = page.getByRole('list', { name: 'hosts' }).locator('[data-host]');
  await expect(tiles).toHaveCount(3);
  await expect(page.locator('[data-host="edge-b"]')).toHaveAttribute('data-status', 'ok');
  await expect(page.locator('[data-host="hv-a"]')).toHaveAttribute('data-status', 'ok');

  // The operator's words: free VFs of the 82576 model.
  await page.getByRole('searchbox', { name: /Search the fleet/ }).or(page.getByRole('textbox', { name: /Search the fleet/ })).fill('free 82576');
  const results = page.getByRole('region', { name: 'VFs found' });
  await expect(results.locator('[data-result]')).toHaveCount(2);
  await expect(results.locator(`[data-result="edge-b/${FREE_VF}"]`)).toBeVisible();
  expect(new URL(page.url()).searchParams.get('q')).toBe('free 82576');

  // Choose edge-b's VF: its graph opens with that VF selected, and the address says so.
  await results.locator(`[data-result="edge-b/${FREE_VF}"]`).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`host=edge-b`));
  await expect.poll(() => new URL(page.url()).searchParams.get('select')).toBe(FREE_VF);
  const details = page.getByRole('complementary', { name: 'details' });
  await expect(details).toContainText(FREE_VF);

  // Assign it to edge-b's spare-vm: the VMs offered are edge-b's.
  await details.getByRole('button', { name: 'Assign to VM…' }).click();
  const picker = page.getByRole('dialog');
  await expect(picker.getByRole('radio')).toHaveCount(2);
  await picker.getByRole('radio', { name: /spare-vm/ }).check();
  await picker.getByRole('button', { name: 'Assign to spare-vm' }).click();
  const tokenDialog = page.getByRole('dialog', { name: 'Write token' });
  await tokenDialog.getByLabel('Token').fill(TOKEN);
  await tokenDialog.getByRole('button', { name: 'Use this token' }).click();
  // The slot in the graph, or its row in the list on a phone.
  await expect(page.locator(`[data-vf="${FREE_VF}"], [data-list-vf="${FREE_VF}"]`)).toHaveAttribute('data-state', 'assigned');

  // edge-b itself did it, and says who passed it on.
  const topology = Topology.parse(await (await request.get(`${edgeB.url}/api/v1/hosts/edge-b/topology`)).json());
  expect(topology.pfs[0]!.vfs.find((v) => v.address === FREE_VF)!.holder).toMatchObject({ vmName: 'spare-vm' });
  const audit = AuditPage.parse(await (await request.get(`${edgeB.url}/api/v1/hosts/edge-b/audit`)).json());
  expect(audit.entries[0]).toMatchObject({ operation: 'assign', result: 'ok', who: { forwardedBy: 'hv-a' } });

  // Back returns to the search, as it was.
  await page.goBack();
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('free 82576');
  await expect(page.getByRole('region', { name: 'VFs found' }).locator('[data-result]')).toHaveCount(1);
});

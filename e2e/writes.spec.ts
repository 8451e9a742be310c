/// <reference lib="dom" />
import { test as base, expect, type Page } from '@playwright/test';
import { Topology, vfState, type Pf } from '@vfmap/model';
import { drawnStates, expectedStates, openHost, topologyOf } from './agent';
import { startDemo } from './demoProcess';

/**
 * The write path in Chromium against the real agent over the simulated host: each test starts a
 * demo of its own (a few seconds), so a count it changes or a VF it gives away cannot leak into
 * another test. The token is set with VFMAP_TOKEN, as an operator may.
 */
const TOKEN = 'e2e-write-token-0123456789abcdef';

interface WritesAgent {
  url: string;
  hostId: string;
}

const test = base.extend<{ agent: WritesAgent; readOnlyAgent: WritesAgent }>({
  agent: async ({}, use) => {
    const demo = await startDemo('demo', { env: { VFMAP_TOKEN: TOKEN } });
    try {
      await use({ url: demo.url, hostId: await hostIdOf(demo.url) });
    } finally {
      await demo.stop();
    }
  },
  readOnlyAgent: async ({}, use) => {
    const demo = await startDemo('demo', { args: ['--read-only'] });
    try {
      await use({ url: demo.url, hostId: await hostIdOf(demo.url) });
    } finally {
      await demo.stop();
    }
  },
});

test.describe.configure({ timeout: 60_000 });

async function hostIdOf(url: string): Promise<string> {
  const body = (await (await fetch(`${url}/api/v1/hosts`)).json()) as { hosts: { id: string }[] };
  return body.hosts[0]!.id;
}

async function topologyNow(agent: WritesAgent): Promise<Topology> {
  return Topology.parse(await (await fetch(`${agent.url}/api/v1/hosts/${agent.hostId}/topology`, { cache: 'no-store' })).json());
}

/**
 * Opens the page and marks the window: a reload would lose the mark and count a second load. Returns the check that no reload happened.
 */
async function openOnce(page: Page, url: string, keptToken?: string): Promise<() => Promise<void>> {
  // A token the tab kept from an earlier write (sessionStorage), there before the page starts.
  if (keptToken) await page.addInitScript((token) => sessionStorage.setItem('vfmap.writeToken', token), keptToken);
  // Loads, not framenavigated: the page writes its selection into the address bar
  // (history.replaceState), which Playwright reports as a navigation of the main frame too.
  let navigations = 0;
  page.on('load', () => navigations++);
  await openHost(page, url);
  await page.evaluate(() => {
    (window as unknown as { vfmapNoReload: boolean }).vfmapNoReload = true;
  });
  return async () => {
    expect(await page.evaluate(() => (window as unknown as { vfmapNoReload?: boolean }).vfmapNoReload)).toBe(true);
    expect(navigations).toBe(1);
  };
}

const details = (page: Page) => page.getByRole('complementary', { name: 'details' });

async function selectPf(page: Page, pf: string) {
  await page.locator(`[data-pf-chip="${pf}"]`).click();
  await expect(details(page).getByRole('region', { name: 'Change the VF count' })).toBeVisible();
}

async function reviewCount(page: Page, pf: string, count: number) {
  await selectPf(page, pf);
  await details(page).getByRole('spinbutton', { name: 'VFs wanted' }).fill(String(count));
  await details(page).getByRole('button', { name: 'Review the change…' }).click();
  return page.getByRole('dialog');
}

async function giveToken(page: Page, token: string) {
  const dialog = page.getByRole('dialog', { name: 'Write token' });
  await dialog.getByLabel('Token').fill(token);
  await dialog.getByRole('button', { name: 'Use this token' }).click();
}

function pfOf(topology: Topology, address: string): Pf {
  return topology.pfs.find((p) => p.address === address)!;
}

test.describe('writes from the page, over the real agent', () => {
  test('changes a VF count and the graph follows, asking for the token once', async ({ page, agent }) => {
    const noReload = await openOnce(page, agent.url);
    const before = await topologyNow(agent);
    const pf = before.pfs.find((p) => p.numVfs === 0 && p.driver !== null && p.totalVfs >= 4)!;
    expect(pf, 'the demo has a PF with SR-IOV off').toBeDefined();

    const dialog = await reviewCount(page, pf.address, 4);
    await expect(dialog.getByRole('heading', { level: 2 })).toContainText(`Enable 4 VFs on`);
    await dialog.getByRole('button', { name: 'Enable 4 VFs' }).click();

    // A wrong token first: the agent answers 401 and the page asks again.
    await giveToken(page, 'not-the-token-of-this-agent');
    await expect(page.getByRole('dialog', { name: 'Write token' }).getByRole('alert')).toContainText('did not accept that token');
    await giveToken(page, TOKEN);

    await expect.poll(async () => pfOf(await topologyNow(agent), pf.address).numVfs).toBe(4);
    const enabled = pfOf(await topologyNow(agent), pf.address);
    for (const vf of enabled.vfs) await expect(page.locator(`[data-vf="${vf.address}"]`)).toHaveAttribute('data-state', 'free');
    await expect(details(page).getByText(`Enabled 4 VFs on ${pf.address}.`)).toBeVisible();

    // 4 → 2 goes through 0; the token is kept, so no dialog asks for it.
    const second = await reviewCount(page, pf.address, 2);
    await expect(second.getByRole('region', { name: 'what the agent will do' })).toContainText('Write 0 to sriov_numvfs: the kernel removes all 4 VFs');
    await second.getByRole('button', { name: 'Change to 2 VFs' }).click();
    await expect(page.getByRole('dialog', { name: 'Write token' })).toHaveCount(0);
    await expect(page.locator(`[data-vf="${enabled.vfs[3]!.address}"]`)).toHaveCount(0);
    await expect(page.locator(`[data-vf="${enabled.vfs[1]!.address}"]`)).toHaveAttribute('data-state', 'free');
    expect(pfOf(await topologyNow(agent), pf.address).numVfs).toBe(2);
    await noReload();
  });

  test('assigns a free VF to a VM and the edge appears; releases it and the edge goes', async ({ page, agent }) => {
    const noReload = await openOnce(page, agent.url, TOKEN);
    const before = await topologyNow(agent);
    // A free VF on a PF the VM holds nothing on, so the assignment draws a new edge.
    const vm = before.vms.find((v) => v.state === 'running')!;
    const pf = before.pfs.find((p) => p.vfs.some((v) => vfState(v, before) === 'free') && !p.vfs.some((v) => v.holder?.vmId === vm.id))!;
    const vf = pf.vfs.find((v) => vfState(v, before) === 'free')!;
    const edge = page.locator(`[data-edge^="${pf.address}|"][data-edge-vm="${vm.id}"]`);
    await expect(edge).toHaveCount(0);

    await page.locator(`[data-vf="${vf.address}"]`).click();
    await details(page).getByRole('button', { name: 'Assign to VM…' }).click();
    const picker = page.getByRole('dialog');
    await picker.getByRole('radio', { name: new RegExp(vm.name) }).check();
    await picker.getByRole('button', { name: `Assign to ${vm.name}` }).click();

    await expect(edge).toHaveCount(1);
    await expect(page.locator(`[data-vf="${vf.address}"]`)).toHaveAttribute('data-state', 'assigned');
    await expect(details(page).getByText(`In effect now: ${vm.name} is running`)).toBeVisible();
    expect(pfOf(await topologyNow(agent), pf.address).vfs.find((v) => v.address === vf.address)!.holder).toMatchObject({ vmId: vm.id });

    await details(page).getByRole('button', { name: `Release from ${vm.name}…` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release' }).click();
    await expect(edge).toHaveCount(0);
    await expect(page.locator(`[data-vf="${vf.address}"]`)).toHaveAttribute('data-state', 'free');
    await noReload();
  });

  test('says a stopped VM gets the VF at its next start', async ({ page, agent }) => {
    const noReload = await openOnce(page, agent.url, TOKEN);
    const before = await topologyNow(agent);
    const vm = before.vms.find((v) => v.state === 'stopped')!;
    const vf = before.pfs.flatMap((p) => p.vfs).find((v) => vfState(v, before) === 'free')!;

    await page.locator(`[data-vf="${vf.address}"]`).click();
    await details(page).getByRole('button', { name: 'Assign to VM…' }).click();
    const choice = page.getByRole('dialog').locator(`[data-vm-choice="${vm.id}"]`);
    await expect(choice).toContainText('stopped: it gets the VF at its next start');
    await choice.getByRole('radio').check();
    await page.getByRole('dialog').getByRole('button', { name: `Assign to ${vm.name}` }).click();
    await expect(details(page).getByText(`Takes effect at the next start of ${vm.name}`)).toBeVisible();
    await expect(page.locator(`[data-vf="${vf.address}"]`)).toHaveAttribute('data-state', 'assigned');
    await noReload();
  });

  test('refuses to lower the count below a held VF without force, naming the VMs; with force the held addresses come back', async ({ page, agent }) => {
    const noReload = await openOnce(page, agent.url, TOKEN);
    const before = await topologyNow(agent);
    const pf = before.pfs.filter((p) => p.vfs.filter((v) => v.holder).length >= 2).sort((a, b) => b.vfs.length - a.vfs.length)[0]!;
    const held = pf.vfs.filter((v) => v.holder);
    const count = Math.max(...held.map((v) => v.index)); // the last held VF is gone afterwards

    const dialog = await reviewCount(page, pf.address, count);
    const losses = dialog.getByRole('region', { name: 'VMs that lose a VF' });
    for (const vf of held) await expect(losses).toContainText(vf.holder!.vmName);
    const confirm = dialog.getByRole('button', { name: `Force: change to ${count} VFs` });
    await expect(confirm).toBeDisabled();

    await dialog.getByRole('checkbox', { name: /force/ }).check();
    await confirm.click();
    // Disabling VFs takes the kernel a second or more: the strip shows the change running.
    await expect(page.locator('.operation.running')).toBeVisible();
    await expect(details(page).getByRole('button', { name: 'Review the change…' })).toBeDisabled();
    await expect(details(page).getByText(/Forced:/)).toBeVisible({ timeout: 15_000 });

    const after = pfOf(await topologyNow(agent), pf.address);
    expect(after.numVfs).toBe(count);
    // The VMs' configurations still name their addresses: those below the count are held again.
    for (const vf of held.filter((v) => v.index < count)) {
      await expect(page.locator(`[data-vf="${vf.address}"]`)).toHaveAttribute('data-state', 'assigned');
    }
    // Each re-created one is marked on the graph until its VM is reconciled, and the legend says what the mark is.
    for (const vf of held.filter((v) => v.index < count)) await expect(page.locator(`[data-forced-mark="${vf.address}"]`)).toHaveCount(1);
    await expect(page.getByRole('list', { name: 'legend' })).toContainText('re-created by a forced change');
    await expect(page.locator(`[data-vf="${held.find((v) => v.index >= count)!.address}"]`)).toHaveCount(0);
    expect(await drawnStates(page)).toEqual(expectedStates(await topologyNow(agent)));
    await noReload();
  });

  test('writes nothing when a VF was given away after the page read the host: says the host changed, and reads it again', async ({ page, agent }) => {
    const noReload = await openOnce(page, agent.url, TOKEN);
    const before = await topologyNow(agent);
    const pf = before.pfs.find((p) => p.numVfs >= 2 && p.vfs.every((v) => !v.holder))!;
    expect(pf, 'the demo has a PF with VFs and no holder').toBeDefined();
    const vm = before.vms.find((v) => v.state === 'running')!;
    const vf = pf.vfs.at(-1)!;

    // The page keeps the topology it has: the assignment below happens behind its back.
    const staleAnswer = await fetch(`${agent.url}/api/v1/hosts/${agent.hostId}/topology`);
    const stale = await staleAnswer.text();
    const staleEtag = staleAnswer.headers.get('etag')!;
    await page.route('**/topology', (route) => route.fulfill({ status: 200, contentType: 'application/json', headers: { etag: staleEtag }, body: stale }));
    const reread = page.waitForRequest('**/topology');
    const assigned = await fetch(`${agent.url}/api/v1/hosts/${agent.hostId}/vfs/${vf.address}/assignment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vmId: vm.id }),
    });
    expect(assigned.status).toBe(200);
    // The agent's topology.changed made the page read again, and it got the old answer.
    await reread;

    const dialog = await reviewCount(page, pf.address, 1);
    await expect(dialog.getByRole('checkbox')).toHaveCount(0);
    // From here on the page reads the host as it is: after the refusal it reads it again.
    await page.unroute('**/topology');
    const sent = page.waitForRequest((r) => r.method() === 'PUT');
    await dialog.getByRole('button', { name: 'Change to 1 VF' }).click();
    // The page sent the ETag of what it drew; the agent found the host moved on and wrote nothing.
    expect((await sent).headers()['if-match']).toBe(staleEtag);
    const problem = details(page).getByRole('alert');
    await expect(problem).toContainText('The host changed since this page drew it');
    await expect(problem).toContainText('HTTP 412');
    expect(pfOf(await topologyNow(agent), pf.address).numVfs).toBe(pf.numVfs);

    await expect(page.locator(`[data-vf="${vf.address}"]`)).toHaveAttribute('data-state', 'assigned');
    await noReload();
  });

  test('says when the agent is read-only and disables the write controls before any write', async ({ page, readOnlyAgent }) => {
    const noReload = await openOnce(page, readOnlyAgent.url, 'any-token-at-all-0123456789');
    const before = await topologyNow(readOnlyAgent);
    const pf = before.pfs.find((p) => p.numVfs === 0 && p.driver !== null)!;
    // The host list says the agent is read-only: no write is needed to find out.
    await selectPf(page, pf.address);
    await expect(details(page).getByText('Read-only agent.')).toBeVisible();
    await expect(details(page).getByRole('button', { name: 'Review the change…' })).toBeDisabled();
    // And a write sent anyway, behind the page's back, is refused by the agent itself.
    const res = await page.request.put(`${readOnlyAgent.url}/api/v1/hosts/${encodeURIComponent(readOnlyAgent.hostId)}/pfs/${pf.address}/numvfs`, {
      data: { count: 1 },
      headers: { Authorization: 'Bearer any-token-at-all-0123456789' },
    });
    expect(res.status()).toBe(403);
    expect(pfOf(await topologyNow(readOnlyAgent), pf.address).numVfs).toBe(0);
    await noReload();
  });
});

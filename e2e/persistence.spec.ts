/// <reference lib="dom" />
import { expect } from '@playwright/test';
import { HostPersistence } from '@vfmap/model';
import { details, openWithToken, pfOf, selectPf, test, type TokenAgent } from './tokenAgent';

/**
 * "Kept across reboots" over the real agent: what vfmap keeps for a PF against what is live after
 * a change behind its back (sriov_numvfs written straight into the simulated tree, as a shell
 * would), and Re-apply putting it back. Needs GET …/persistence, POST …/pfs/:pf/prepare and
 * POST …/pfs/:pf/reapply (issue 14).
 */
test.describe.configure({ timeout: 90_000 });

async function persistenceOf(agent: TokenAgent, pf: string) {
  const answer = HostPersistence.parse(await (await fetch(`${agent.url}/api/v1/hosts/${encodeURIComponent(agent.hostId)}/persistence`)).json());
  return answer.pfs.find((p) => p.pf === pf)!;
}

test('shows kept against live after an external change, and re-applies it', async ({ page, agent }) => {
  const before = await agent.topology();
  const pf = before.pfs.find((p) => p.numVfs === 0 && p.driver !== null && p.netdevs.length > 0 && p.totalVfs >= 2)!;
  expect(pf, 'the demo has a NIC PF with SR-IOV off').toBeDefined();
  // vfmap keeps 2 VFs for the PF (a prepare writes the desired state first).
  const prepared = await agent.send('POST', `pfs/${pf.address}/prepare`, { count: 2, driver: null, stableMacs: false });
  expect(prepared.status).toBe(200);
  expect((await persistenceOf(agent, pf.address)).matches).toBe(true);

  await openWithToken(page, agent.url);
  await selectPf(page, pf.address);
  const kept = details(page).getByRole('region', { name: 'Kept across reboots' });
  await expect(kept).toContainText('Live matches what is kept: 2 VFs.');
  // Where it is kept at boot, or that nothing keeps it.
  await expect(kept.locator('.kept-by')).toContainText(/[Kk]ept by|Nothing keeps it at boot/);

  // Behind vfmap's back: `echo 0 > sriov_numvfs`.
  agent.writeSysfs(pf.address, 'sriov_numvfs', '0');
  await expect.poll(async () => pfOf(await agent.topology(), pf.address).numVfs).toBe(0);
  await expect(kept).toContainText('Live differs from what is kept.', { timeout: 40_000 });
  const count = kept.getByRole('table', { name: 'Desired and live' }).locator('[data-difference="count"]');
  await expect(count).toContainText('2');
  await expect(count).toContainText('0');

  await kept.getByRole('button', { name: 'Re-apply' }).click();
  await expect(kept.getByRole('status').filter({ hasText: /Done/ })).toBeVisible({ timeout: 30_000 });
  await expect(kept).toContainText('Live matches what is kept: 2 VFs.');
  expect(pfOf(await agent.topology(), pf.address).numVfs).toBe(2);
  expect((await persistenceOf(agent, pf.address)).matches).toBe(true);
});

test('switches stable MACs on a PF and the VFs get them', async ({ page, agent }) => {
  const before = await agent.topology();
  const pf = before.pfs.find((p) => p.numVfs > 0 && p.netdevs.length > 0 && p.vfs.every((v) => v.config !== null))!;
  expect(pf, 'the demo has a NIC PF with VFs').toBeDefined();
  await openWithToken(page, agent.url);
  await selectPf(page, pf.address);
  const kept = details(page).getByRole('region', { name: 'Kept across reboots' });
  const stable = kept.getByRole('checkbox', { name: /Stable MACs/ });
  await expect(stable).not.toBeChecked();
  // The switch shows what is kept: a click asks the agent, and it turns on when the write is done.
  await stable.click();
  await expect(kept.getByRole('status').filter({ hasText: /Done/ })).toBeVisible({ timeout: 30_000 });
  await expect(stable).toBeChecked();
  expect((await persistenceOf(agent, pf.address)).desired?.stableMacs).toBe(true);
  const macs = pfOf(await agent.topology(), pf.address).vfs.map((v) => v.config?.mac);
  expect(macs.every((m) => typeof m === 'string' && (parseInt(m.slice(0, 2), 16) & 2) === 2)).toBe(true);
});

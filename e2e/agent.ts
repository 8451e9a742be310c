import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { HostList, Topology } from '@vfmap/model';

/** The agents globalSetup started (or the ones the environment names). */
export function agentUrl(which: 'demo' | 'large'): string {
  const url = process.env[which === 'demo' ? 'VFMAP_E2E_DEMO_URL' : 'VFMAP_E2E_LARGE_URL'];
  if (!url) throw new Error(`no ${which} agent: globalSetup did not run`);
  return url;
}

/** The first host the agent lists and its topology, straight from the API: what the page must draw. */
export async function topologyOf(request: APIRequestContext, baseUrl: string): Promise<{ hostId: string; topology: Topology }> {
  const hosts = HostList.parse(await (await request.get(`${baseUrl}/api/v1/hosts`)).json());
  const hostId = hosts.hosts[0]!.id;
  const topology = Topology.parse(await (await request.get(`${baseUrl}/api/v1/hosts/${encodeURIComponent(hostId)}/topology`)).json());
  return { hostId, topology };
}

/**
 * The state each VF must show, worked out here from the topology and the kernel's rule, not by
 * the page's own code: held by a VM → assigned; otherwise free only when the IOMMU is on and the
 * VF is alone in its IOMMU group.
 */
export function expectedStates(topology: Topology): Map<string, 'free' | 'assigned' | 'unavailable'> {
  const groupSize = new Map(topology.iommuGroups.map((g) => [g.id, g.devices.length]));
  const states = new Map<string, 'free' | 'assigned' | 'unavailable'>();
  for (const pf of topology.pfs) {
    for (const vf of pf.vfs) {
      if (vf.holder) states.set(vf.address, 'assigned');
      else if (!topology.host.iommu.enabled || vf.iommuGroup === null || (groupSize.get(vf.iommuGroup) ?? 1) > 1) states.set(vf.address, 'unavailable');
      else states.set(vf.address, 'free');
    }
  }
  return states;
}

/** address → data-state of every VF slot on the page. */
export async function drawnStates(page: Page): Promise<Map<string, string>> {
  const pairs = await page.locator('[data-vf]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-vf')!, e.getAttribute('data-state')!] as const));
  return new Map(pairs);
}

/**
 * Opens the page on the graph. A narrow window (the `phone` project) starts on the list: these
 * specs drive the graph, so they take the "Graph" of its Graph | List switch (phone.spec.ts drives the list).
 */
export async function openHost(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  const graph = page.getByRole('application');
  const switchToGraph = page.getByRole('button', { name: 'Graph', pressed: false });
  await expect(graph.or(switchToGraph)).toBeVisible();
  if (await switchToGraph.isVisible()) await switchToGraph.click();
  await expect(graph).toBeVisible();
}

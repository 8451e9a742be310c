import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { Topology, type Pf } from '@vfmap/model';
import { createSimKernel } from '@vfmap/simhost';
import { openHost } from './agent';
import { startDemo } from './demoProcess';

/**
 * A demo agent of a test's own, with a known write token and a simulated tree in a directory the
 * test knows, so it can change the host "behind vfmap's back" the way a shell would: through the
 * simulated kernel, writing the same sysfs attributes (settings, drift and re-apply specs).
 */
export const TOKEN = 'e2e-write-token-0123456789abcdef';

export interface TokenAgent {
  url: string;
  hostId: string;
  /** the directory that stands for `/` on the simulated host. */
  root: string;
  topology(): Promise<Topology>;
  /** a write to the API as a script would send it, with the token. */
  send(method: string, path: string, body?: unknown): Promise<Response>;
  /** writes a sysfs attribute of a PCI function as `echo value > …` would, through the simulated kernel. */
  writeSysfs(address: string, attribute: string, value: string): void;
  stop(): Promise<void>;
}

export async function startTokenAgent(): Promise<TokenAgent> {
  const root = mkdtempSync(join(existsShm() ? '/dev/shm' : tmpdir(), 'vfmap-e2e-'));
  const demo = await startDemo('demo', { env: { VFMAP_TOKEN: TOKEN }, args: ['--dir', root] });
  const hosts = (await (await fetch(`${demo.url}/api/v1/hosts`)).json()) as { hosts: { id: string }[] };
  const hostId = hosts.hosts[0]!.id;
  const api = (path: string) => `${demo.url}/api/v1/hosts/${encodeURIComponent(hostId)}/${path}`;
  const kernel = createSimKernel(root);
  return {
    url: demo.url,
    hostId,
    root,
    topology: async () => Topology.parse(await (await fetch(api('topology'), { cache: 'no-store' })).json()),
    send: (method, path, body) =>
      fetch(api(path), {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    writeSysfs: (address, attribute, value) => kernel.writeAttribute(join(root, 'sys', 'bus', 'pci', 'devices', address, attribute), value),
    stop: async () => {
      await demo.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The generated host is thousands of small files: in memory where the machine has /dev/shm. */
function existsShm(): boolean {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Opens the page with the token already kept for the tab, as after an earlier write. */
export async function openWithToken(page: Page, url: string): Promise<void> {
  await page.addInitScript((token) => sessionStorage.setItem('vfmap.writeToken', token), TOKEN);
  await openHost(page, url);
}

export const details = (page: Page) => page.getByRole('complementary', { name: 'details' });

export async function selectPf(page: Page, pf: string): Promise<void> {
  await page.locator(`[data-pf-chip="${pf}"]`).click();
  await expect(details(page).getByRole('region', { name: 'Change the VF count' })).toBeVisible();
}

export function pfOf(topology: Topology, address: string): Pf {
  return topology.pfs.find((p) => p.address === address)!;
}

/** Playwright's test with an `agent` fixture: a token agent of the test's own, stopped after it. */
export const test = base.extend<{ agent: TokenAgent }>({
  agent: async ({}, use) => {
    const agent = await startTokenAgent();
    try {
      await use(agent);
    } finally {
      await agent.stop();
    }
  },
});

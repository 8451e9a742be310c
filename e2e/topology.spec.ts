/// <reference lib="dom" />
// Code inside evaluate() callbacks runs in the page, with the DOM.
import { expect, test } from '@playwright/test';
import { agentUrl, drawnStates, expectedStates, openHost, topologyOf } from './agent';

test.describe('the page over the demo host', () => {
  test('draws every PF and every VF of the topology, each in the state the kernel and hypervisor give it', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    await openHost(page, url);
    await page.getByRole('button', { name: 'Expand all' }).click();

    for (const pf of topology.pfs) await expect(page.locator(`[data-pf="${pf.address}"]`)).toHaveCount(1);
    expect(await page.locator('[data-pf]').count()).toBe(topology.pfs.length);
    const expected = expectedStates(topology);
    expect(expected.size).toBeGreaterThan(0);
    expect(await drawnStates(page)).toEqual(expected);
    for (const vm of topology.vms) await expect(page.locator(`[data-vm="${vm.id}"]`)).toHaveCount(1);
  });

  test('marks free VFs and counts them per host and per PF', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const states = expectedStates(topology);
    const free = [...states.values()].filter((s) => s === 'free').length;
    await openHost(page, url);

    await expect(page.getByTestId('host-free')).toHaveText(String(free));
    for (const pf of topology.pfs.filter((p) => p.vfs.length > 0)) {
      const pfFree = pf.vfs.filter((v) => states.get(v.address) === 'free').length;
      await expect(page.locator(`[data-pf-chip="${pf.address}"]`)).toContainText(`${pfFree} free of ${pf.vfs.length}`);
    }
    // Marked by a colour of their own and by a dot, not by colour alone.
    await page.getByRole('button', { name: 'Expand all' }).click();
    const fills = await page.locator('[data-vf]').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-state'), getComputedStyle(e).fill] as const),
    );
    const freeFills = new Set(fills.filter(([s]) => s === 'free').map(([, f]) => f));
    const otherFills = new Set(fills.filter(([s]) => s !== 'free').map(([, f]) => f));
    expect(freeFills.size).toBe(1);
    expect(otherFills.has([...freeFills][0]!)).toBe(false);
    const dots = await page.locator('[data-free-marks]').evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-free-marks')), 0));
    expect(dots).toBe(free);
  });

  test('filters to free VFs only', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const freeAddresses = [...expectedStates(topology)].filter(([, s]) => s === 'free').map(([a]) => a);
    await openHost(page, url);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.getByRole('checkbox', { name: 'Only free VFs' }).check();

    const drawn = await drawnStates(page);
    expect([...drawn.keys()].sort()).toEqual([...freeAddresses].sort());
    expect([...drawn.values()].every((s) => s === 'free')).toBe(true);
    await expect(page.locator('[data-edge]')).toHaveCount(0);

    await page.getByRole('checkbox', { name: 'Only free VFs' }).uncheck();
    expect((await drawnStates(page)).size).toBe(expectedStates(topology).size);
  });

  test('search (focused with /) finds a VF by address and a VM by name, highlights them and brings them into view', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const vf = topology.pfs.flatMap((p) => p.vfs).at(-1)!;
    const vm = topology.vms[0]!;
    await openHost(page, url);

    await page.locator('body').press('/');
    await expect(page.getByRole('combobox', { name: /^Find VFs/ })).toBeFocused();
    await page.keyboard.type(vf.address);
    await expect(page.getByText('1 match')).toBeVisible();
    const cell = page.locator(`[data-vf="${vf.address}"]`);
    await expect.poll(async () => page.locator('.graph style').textContent()).toContain(`[data-node="vf:${vf.address}"].cell`);
    await expect(cell).toBeInViewport();

    await page.getByRole('combobox', { name: /^Find VFs/ }).fill(vm.name);
    await expect(page.getByText(/^1 match$|^\d+ matches$/)).toBeVisible();
    await expect.poll(async () => page.locator('.graph style').textContent()).toContain(`[data-node="vm:${vm.id}"]`);
    await page.getByRole('combobox', { name: /^Find VFs/ }).press('Enter');
    await expect(page.getByRole('complementary', { name: 'details' }).getByRole('heading', { name: vm.name })).toBeVisible();
  });

  test('the details panel shows a VF\'s fields', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const pf = topology.pfs.find((p) => p.vfs.some((v) => v.holder))!;
    const vf = pf.vfs.find((v) => v.holder)!;
    await openHost(page, url);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.locator(`[data-vf="${vf.address}"]`).click();

    const details = page.getByRole('complementary', { name: 'details' });
    await expect(details.getByRole('heading', { name: new RegExp(`^VF ${vf.index}\\b`) })).toBeVisible();
    await expect(details).toContainText(vf.address);
    await expect(details).toContainText(`virtfn${vf.index}`);
    await expect(details).toContainText(`${vf.vendorId}:${vf.deviceId}`);
    await expect(details).toContainText(pf.address);
    if (vf.driver) await expect(details).toContainText(vf.driver);
    if (vf.iommuGroup !== null) await expect(details).toContainText(String(vf.iommuGroup));
    await expect(details).toContainText(`${vf.holder!.vmName}`);
    await expect(details).toContainText(vf.holder!.via);
    for (const n of vf.netdevs) {
      await expect(details).toContainText(n.name);
      if (n.mac) await expect(details.getByRole('button', { name: `Copy MAC ${n.mac}` })).toBeVisible();
    }
    await expect(details.getByRole('button', { name: `Copy PCI address ${vf.address}` }).first()).toBeVisible();
  });

  test('hovering a held VF lights its VM and dims the others', async ({ page, request }) => {
    const url = agentUrl('demo');
    const { topology } = await topologyOf(request, url);
    const vf = topology.pfs.flatMap((p) => p.vfs).find((v) => v.holder)!;
    const other = topology.vms.find((vm) => vm.id !== vf.holder!.vmId)!;
    await openHost(page, url);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.locator(`[data-vf="${vf.address}"]`).hover();
    await expect(page.locator(`[data-vm="${vf.holder!.vmId}"]`)).toHaveCSS('opacity', '1');
    await expect(page.locator(`[data-vm="${other.id}"]`)).not.toHaveCSS('opacity', '1');
  });

  test('moves between nodes with the keyboard and selects with Enter', async ({ page }) => {
    await openHost(page, agentUrl('demo'));
    const graph = page.getByRole('application');
    await graph.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[data-pf]:focus')).toHaveCount(1);
    const pf = await page.locator('[data-pf]:focus').getAttribute('data-pf');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('complementary', { name: 'details' })).toContainText(pf!);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('complementary', { name: 'details' })).toContainText('Select a card, PF, VF or VM');
  });
});

test.describe('the page over the large host (8 PFs × 256 VFs)', () => {
  test('starts with every PF collapsed to a summary, and a collapsed PF expands into all its slots', async ({ page, request }) => {
    const url = agentUrl('large');
    const { topology } = await topologyOf(request, url);
    await openHost(page, url);
    const big = topology.pfs.filter((p) => p.vfs.length > 32);
    expect(big.length).toBeGreaterThan(0);
    for (const pf of topology.pfs) await expect(page.locator(`[data-pf="${pf.address}"]`)).toHaveCount(1);
    for (const pf of big) await expect(page.locator(`[data-bar="${pf.address}"]`)).toHaveCount(1);

    const pf = big[0]!;
    await page.locator(`[data-bar="${pf.address}"]`).click();
    await expect(page.locator(`[data-bar="${pf.address}"]`)).toHaveCount(0);
    const expected = expectedStates({ ...topology, pfs: [pf] });
    const drawn = await drawnStates(page);
    expect(new Map([...drawn].filter(([a]) => expected.has(a)))).toEqual(expected);
    expect(drawn.size).toBe(pf.vfs.length);
  });

  test('starts from the answers preload.js asked for while the page loaded: one request each, the host named by index.html', async ({ page, request }) => {
    const url = agentUrl('large');
    const { hostId } = await topologyOf(request, url);
    const html = await (await request.get(`${url}/`)).text();
    expect(html).toContain(`<meta name="vfmap-host" content="${hostId}" />`);
    const asked: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) asked.push(`${r.method()} ${path}`);
    });
    await page.goto(url);
    // The graph's PFs, or the list's on a phone.
    await expect(page.locator('[data-pf], [data-list-pf]')).toHaveCount(8);
    // Before the graph was drawn, the page asked for the host list and the topology once each,
    // whether it found them parsed already or still on their way.
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    expect(marks).toEqual(expect.arrayContaining(['vfmap:early', 'vfmap:validated', 'vfmap:app', 'vfmap:drawn']));
    // The event stream opens once the host's page has rendered: what came before it is the start.
    const opened = asked.indexOf(`GET /api/v1/hosts/${hostId}/events`);
    const beforeDrawn = opened < 0 ? asked : asked.slice(0, opened);
    expect(beforeDrawn.filter((r) => r === 'GET /api/v1/hosts')).toHaveLength(1);
    expect(beforeDrawn.filter((r) => r === `GET /api/v1/hosts/${hostId}/topology`)).toHaveLength(1);
  });

  test('draws all 2048 VFs when every PF is expanded', async ({ page, request }) => {
    const url = agentUrl('large');
    const { topology } = await topologyOf(request, url);
    await openHost(page, url);
    await page.getByRole('button', { name: 'Expand all' }).click();
    expect(await drawnStates(page)).toEqual(expectedStates(topology));
  });
});

test.describe('zoom and pan', () => {
  const transformOf = (page: import('@playwright/test').Page) => page.locator('.graph-viewport').evaluate((e) => (e as HTMLElement).style.transform);

  test('starts fitted to the width beside the details: every PF and VM is in view across', async ({ page }) => {
    await openHost(page, agentUrl('demo'));
    const graph = (await page.getByRole('application').boundingBox())!;
    await expect
      .poll(async () => {
        const boxes = await page.locator('[data-pf], [data-vm]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
        return boxes.filter((b) => b.left < graph.x - 1 || b.right > graph.x + graph.width + 1).length;
      })
      .toBe(0);
  });

  test('zooms with the buttons and fits the whole graph on screen again', async ({ page }) => {
    await openHost(page, agentUrl('demo'));
    const fitted = await transformOf(page);
    await page.getByRole('button', { name: 'zoom in' }).click();
    await expect.poll(() => transformOf(page)).not.toBe(fitted);
    await page.getByRole('button', { name: 'Fit to screen' }).click();
    // Fitted, every node is inside the graph's box on screen.
    const graph = (await page.getByRole('application').boundingBox())!;
    await expect
      .poll(async () => {
        const boxes = await page.locator('[data-pf], [data-vm]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
        return boxes.every((b) => b.left >= graph.x - 1 && b.right <= graph.x + graph.width + 1 && b.top >= graph.y - 1 && b.bottom <= graph.y + graph.height + 1);
      })
      .toBe(true);
  });

  test('shows a minimap once the graph is larger than the screen, and moves the view from it', async ({ page }) => {
    await openHost(page, agentUrl('large'));
    await page.getByRole('button', { name: 'Expand all' }).click();
    const minimap = page.getByRole('img', { name: /minimap/ });
    // Where each corner would hide a card or a VM (a phone), the minimap is folded: open it.
    const mapButton = page.getByRole('button', { name: 'Map' });
    // On a phone the expanded host still fits the 390 px view, fitted to its width: zoom in until it does not.
    await expect(async () => {
      if (!(await mapButton.isVisible())) await page.getByRole('button', { name: 'zoom in' }).click();
      await expect(mapButton).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const folded = (await mapButton.getAttribute('aria-expanded')) === 'false';
    if (folded) await mapButton.click();
    await expect(minimap).toBeVisible();
    // Open by itself, it stands where it covers no VM the view shows (at 1280×720 it once did).
    if (!folded) {
      const map = (await minimap.boundingBox())!;
      const vms = await page.locator('[data-vm]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
      const covered = vms.filter((v) => v.left < map.x + map.width && v.right > map.x && v.top < map.y + map.height && v.bottom > map.y);
      expect(covered, 'VMs under the minimap').toEqual([]);
    }
    const before = await transformOf(page);
    // A click on the minimap, on the side away from the view's outline, brings that part into view.
    const box = (await minimap.boundingBox())!;
    const view = (await page.locator('.mm-view').boundingBox())!;
    const below = view.y + view.height / 2 < box.y + box.height / 2;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height * (below ? 0.95 : 0.05));
    await expect.poll(() => transformOf(page)).not.toBe(before);
    await page.getByRole('button', { name: 'Fit to screen' }).click();
    await expect(minimap).toBeHidden();
  });

  test('pans by dragging the background', async ({ page }, testInfo) => {
    await openHost(page, agentUrl('demo'));
    const graph = (await page.getByRole('application').boundingBox())!;
    const touch = testInfo.project.use.hasTouch === true;
    // On a phone the fitted demo has nowhere to pan to: zoomed in, a finger moves it.
    if (touch) {
      const fitted = await transformOf(page);
      await page.getByRole('button', { name: 'zoom in' }).click();
      await expect.poll(() => transformOf(page)).not.toBe(fitted);
    }
    const before = await transformOf(page);
    // The bottom-left corner of the graph area is background.
    const from = { x: graph.x + 10, y: graph.y + graph.height - 10 };
    const to = { x: graph.x + (touch ? 150 : 200), y: graph.y + graph.height - 110 };
    if (touch) await swipe(page, from, to);
    else {
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 8 });
      await page.mouse.up();
    }
    await expect.poll(() => transformOf(page)).not.toBe(before);
  });
});

/** One finger from `from` to `to`, as a phone's touch screen sends it (Chromium's touch events, in 8 moves). */
async function swipe(page: import('@playwright/test').Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  for (let i = 1; i <= 8; i++) {
    const point = { x: from.x + ((to.x - from.x) * i) / 8, y: from.y + ((to.y - from.y) * i) / 8 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

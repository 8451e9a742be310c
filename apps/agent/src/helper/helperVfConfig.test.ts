import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperReply } from '@vfmap/model';
import { generateHost, profiles, simPaths } from '@vfmap/simhost';
import { createLogger } from '../logger';
import { VfSettingRefused } from '../operations/errors';
import { DEMO, tempDir } from '../testing/simAgent';
import { helperClient, type HelperClient } from './helperClient';
import { listenHelper, type HelperListener } from './helperListener';
import { helperResources, type HelperResources } from './helperResources';

// setVfConfig through the root helper, as the split agent sends it: over a path socket, to a
// helper acting on a generated demo host with the simulated kernel. The root side parses the
// change again and checks the VF exists; the driver's refusal comes back as itself.
let tree: string;
let dir: string;
let resources: HelperResources;
let listener: HelperListener;
let client: HelperClient;
const logger = createLogger('silent');

beforeAll(async () => {
  tree = tempDir('vfmap-helper-vfconfig-');
  generateHost(tree, profiles.demo!);
  dir = mkdtempSync(join(tmpdir(), 'vfmap-helper-vfconfig-sock-'));
  resources = helperResources({ root: tree, kernel: 'simulated', hypervisor: 'simulated', writeWorker: false }, logger);
  listener = await listenHelper({ path: join(dir, 'helper.sock'), user: { name: 'self', uid: process.getuid!(), gid: process.getgid!() }, checks: resources.checks, steps: resources.steps, logger });
  client = helperClient({ connect: () => createConnection(join(dir, 'helper.sock')), reconnect: true });
});
afterAll(async () => {
  await client.close();
  await listener.close();
  await resources.close();
  rmSync(tree, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** What the simulated mlx5 keeps for the ConnectX-6 port's VFs. */
const kept = () => readFileSync(join(simPaths(tree).simState, 'vf-settings', `${DEMO.cx6p1}.json`), 'utf8');

/** One raw line to the helper, as a hostile HTTP side could send it; its reply. */
async function send(message: Record<string, unknown>): Promise<HelperReply> {
  const socket = createConnection(join(dir, 'helper.sock'));
  return new Promise((resolve, reject) => {
    let buffer = '';
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl === -1) return;
      socket.destroy();
      resolve(HelperReply.parse(JSON.parse(buffer.slice(0, nl))));
    });
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 5, ...message })}\n`));
  });
}

describe('setVfConfig through the root helper', () => {
  it('applies the settings and answers the ones applied, in order', async () => {
    expect(await client.steps.setVfConfig(DEMO.cx6p1, 1, { trust: true, mac: '02:00:00:00:af:01', linkState: 'disable' })).toEqual(['mac', 'trust', 'linkState']);
    expect(JSON.parse(kept())[1]).toMatchObject({ mac: '02:00:00:00:af:01', trust: true, linkState: 'disable' });
  });

  it("passes the driver's refusal back as a VfSettingRefused with the settings applied before it", async () => {
    const err = await client.steps.setVfConfig(DEMO.cx6p1, 2, { spoofChk: true, vlan: 10, vlanProtocol: '802.1ad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VfSettingRefused);
    expect((err as VfSettingRefused).details).toMatchObject({ pf: DEMO.cx6p1, interface: 'ens5f1np1', vfIndex: 2, driver: 'mlx5_core', setting: 'vlan', errno: 'EPROTONOSUPPORT', exitStatus: 2, applied: [] });
    expect((err as Error).message).toMatch(/mlx5_core cannot set VLAN protocol 802\.1ad on VF 2/);
  });

  it.each([
    ['a multicast MAC', { pf: DEMO.cx6p1, vfIndex: 0, change: { mac: '01:00:5e:00:00:01' } }, 'invalid-message'],
    ['VLAN 5000', { pf: DEMO.cx6p1, vfIndex: 0, change: { vlan: 5000 } }, 'invalid-message'],
    ['qos without a VLAN', { pf: DEMO.cx6p1, vfIndex: 0, change: { qos: 1 } }, 'invalid-message'],
    ['a key ip would take as another argument', { pf: DEMO.cx6p1, vfIndex: 0, change: { trust: true, 'dev eth0': 'x' } }, 'invalid-message'],
    ['a VF the PF does not have', { pf: DEMO.cx6p1, vfIndex: 4, change: { trust: true } }, 'no-such-device'],
    ['a PF with no net interface (NVMe)', { pf: DEMO.nvme, vfIndex: 0, change: { trust: true } }, 'no-such-device'],
    ['an interface name for the PF', { pf: 'ens5f1np1', vfIndex: 0, change: { trust: true } }, 'bad-address'],
  ])('refuses %s on the root side, before ip runs', async (_what, message, reason) => {
    const before = kept();
    const reply = await send({ op: 'setVfConfig', ...message });
    expect(reply).toMatchObject({ id: 5, ok: false, error: { type: 'HelperRefused', reason } });
    expect(kept()).toBe(before);
  });
});

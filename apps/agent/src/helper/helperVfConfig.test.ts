import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperReply } from '@vfmap/model';
import { simPaths } from '@vfmap/simhost';
import { VfSettingRefused } from '../operations/errors';
import { DEMO } from '../testing/simAgent';
import { startHelperOverSocket, type HelperOverSocket } from '../testing/helperOverSocket';
import type { HelperClient } from './helperClient';

// setVfConfig through the root helper, as the split agent sends it: over a path socket, to a
// helper acting on a generated demo host with the simulated kernel. The root side parses the
// change again and checks the VF exists; the driver's refusal comes back as itself.
let helper: HelperOverSocket;
let tree: string;
let client: HelperClient;
beforeAll(async () => {
  helper = await startHelperOverSocket('vfconfig');
  ({ tree, client } = helper);
});
afterAll(() => helper.close());

/** What the simulated mlx5 keeps for the ConnectX-6 port's VFs. */
const kept = () => readFileSync(join(simPaths(tree).simState, 'vf-settings', `${DEMO.cx6p1}.json`), 'utf8');

/** One raw line to the helper, as a hostile HTTP side could send it; its reply. */
const send = (message: Record<string, unknown>): Promise<HelperReply> => helper.exchange(JSON.stringify({ id: 5, ...message }));

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

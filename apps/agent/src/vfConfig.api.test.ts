import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, InvalidInputProblem, NoNetInterfaceProblem, NotAVfProblem, PreconditionFailedProblem, UnknownVfProblem, VfConfigResult, VfSettingRefusedProblem, type Topology } from '@vfmap/model';
import { readPfVfSettings, simPaths } from '@vfmap/simhost';
import { problemOf, startSimAgent, TOKEN, type SimAgent } from './testing/simAgent';

/**
 * PUT …/vfs/:vf/config on the simulated host (`--kernel simulated`), whose igb 82576 (the
 * `minimal` profile: enp1s0 at 01:00.0 with 2 VFs) refuses what the real one refuses: each change
 * goes through the operations module and the simulated `ip link set`, and is read back through
 * GET topology (the same `ip -j -d link show` path a real host uses).
 */
const PF = '0000:01:00.0';
let h: SimAgent;
let vf0: string;
let vf1: string;
beforeAll(async () => {
  h = await startSimAgent({ profile: 'minimal', kernel: 'from-config', args: ['--kernel', 'simulated'] });
  const pf = (await h.topology()).pfs.find((p) => p.address === PF)!;
  [vf0, vf1] = pf.vfs.map((v) => v.address) as [string, string];
});
afterAll(() => h.close());

const configOf = (t: Topology, vf: string) => t.pfs.flatMap((p) => p.vfs).find((v) => v.address === vf)!.config;
const put = (vf: string, body: unknown) => h.request('PUT', `/vfs/${vf}/config`, body);
/** What the simulated igb keeps for the PF's VFs: the file `ip link set` changes. */
const kept = () => readFileSync(`${simPaths(h.root).simState}/vf-settings/${PF}.json`, 'utf8');

describe('PUT /api/v1/hosts/:host/vfs/:vf/config', () => {
  it('sets the MAC, VLAN with qos, trust, spoof checking and a max TX rate, and answers with the VF as read back', async () => {
    const res = await put(vf0, { mac: '02:00:00:00:01:00', vlan: 100, qos: 3, trust: true, spoofChk: false, maxTxRateMbps: 100 });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"/);
    const result = VfConfigResult.parse(await res.json());
    expect(result.applied).toEqual(['mac', 'vlan', 'spoofChk', 'trust', 'maxTxRateMbps']);
    const expected = { mac: '02:00:00:00:01:00', vlan: 100, qos: 3, vlanProtocol: '802.1Q', trust: true, spoofChk: false, maxTxRateMbps: 100, minTxRateMbps: 0, linkState: 'auto' };
    expect(result.vf.config).toMatchObject(expected);
    expect(configOf(await h.topology(), vf0)).toMatchObject(expected);
    // The other VF is untouched.
    expect(configOf(await h.topology(), vf1)).toMatchObject({ mac: null, vlan: 0, trust: false, spoofChk: true });
  });

  it('stops at a setting igb refuses (link state): the problem names it, the driver, what ip said, and the settings applied before it', async () => {
    const res = await put(vf1, { mac: '02:00:00:00:01:01', vlan: 7, linkState: 'enable', maxTxRateMbps: 50 });
    expect(res.status).toBe(422);
    const problem = await problemOf(res, VfSettingRefusedProblem);
    expect(problem).toMatchObject({
      reason: 'vf-setting-refused',
      pf: PF,
      interface: 'enp1s0',
      vf: vf1,
      vfIndex: 1,
      driver: 'igb',
      setting: 'linkState',
      command: ['ip', 'link', 'set', 'dev', 'enp1s0', 'vf', '1', 'state', 'enable'],
      exitStatus: 2,
      errno: 'EOPNOTSUPP',
      stderr: 'RTNETLINK answers: Operation not supported\n',
      applied: ['mac', 'vlan'],
    });
    expect(problem.detail).toMatch(/igb cannot set the link state on VF 1 .*the MAC, the VLAN were applied before it/);
    // What it was left with: the settings before the refused one, not the one after it (the TX rate).
    expect(problem.vfNow?.config).toMatchObject({ mac: '02:00:00:00:01:01', vlan: 7, linkState: 'auto', maxTxRateMbps: 0 });
    expect(configOf(await h.topology(), vf1)).toMatchObject({ mac: '02:00:00:00:01:01', vlan: 7, maxTxRateMbps: 0 });
    const audit = AuditPage.parse(await (await h.request('GET', '/audit?limit=1')).json());
    expect(audit.entries[0]).toMatchObject({ operation: 'vfconfig', target: vf1, result: 'partial' });
  });

  it('refuses a min TX rate and 802.1ad on igb, as the real 82576 does, with nothing applied', async () => {
    for (const [body, errno] of [[{ minTxRateMbps: 10 }, 'EINVAL'], [{ vlan: 5, vlanProtocol: '802.1ad' }, 'EPROTONOSUPPORT']] as const) {
      const res = await put(vf1, body);
      expect(res.status).toBe(422);
      expect(await problemOf(res, VfSettingRefusedProblem)).toMatchObject({ errno, applied: [] });
    }
  });

  it.each([
    ['a multicast MAC', { mac: '03:00:00:00:00:01' }, 'mac'],
    ['VLAN 5000', { vlan: 5000 }, 'vlan'],
    ['qos without a VLAN', { qos: 3 }, 'vlan'],
    ['an unknown key', { mtu: 9000 }, ''],
    ['nothing to change', {}, ''],
  ])('refuses %s with 400 and writes nothing', async (_what, body, path) => {
    const before = kept();
    const res = await put(vf0, body);
    expect(res.status).toBe(400);
    const problem = await problemOf(res, InvalidInputProblem);
    if (path) expect(problem.issues?.map((i) => i.path)).toContain(path);
    expect(kept()).toBe(before);
  });

  it('takes If-Match as a count change does: the ETag it answered works once, and after the change it is stale (412, nothing set)', async () => {
    const first = await put(vf0, { trust: false });
    const etag = first.headers.get('etag')!;
    const withIt = (body: unknown) => fetch(h.api(`/vfs/${vf0}/config`), { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'If-Match': etag }, body: JSON.stringify(body) });
    expect((await withIt({ trust: true })).status).toBe(200);
    const before = kept();
    const stale = await withIt({ trust: false });
    expect(stale.status).toBe(412);
    await problemOf(stale, PreconditionFailedProblem);
    expect(kept()).toBe(before);
  });

  it('refuses a PF (not a VF) with 422 and an unknown address with 404', async () => {
    const notVf = await put(PF, { trust: true });
    expect(notVf.status).toBe(422);
    await problemOf(notVf, NotAVfProblem);
    const unknown = await put('0000:99:00.1', { trust: true });
    expect(unknown.status).toBe(404);
    await problemOf(unknown, UnknownVfProblem);
    expect(readPfVfSettings(simPaths(h.root), PF)[0]).toMatchObject({ trust: true });
  });
});

describe('PUT …/vfs/:vf/config on a VF whose PF has no netdev (the edge-cases profile\'s NVMe PF)', () => {
  let e: SimAgent;
  beforeAll(async () => {
    e = await startSimAgent({ profile: 'edge-cases', kernel: 'from-config', args: ['--kernel', 'simulated'] });
  });
  afterAll(() => e.close());

  it('refuses with 422 no-net-interface, naming the PF', async () => {
    const pf = (await e.topology()).pfs.find((p) => p.netdevs.length === 0 && p.vfs.length > 0)!;
    const res = await e.request('PUT', `/vfs/${pf.vfs[0]!.address}/config`, { trust: true });
    expect(res.status).toBe(422);
    expect(await problemOf(res, NoNetInterfaceProblem)).toMatchObject({ reason: 'no-net-interface', pf: pf.address });
  });
});

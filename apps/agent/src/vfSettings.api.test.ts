import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '@vfmap/model';
import { simPaths, updateVfSettings, vfSettingsTraits } from '@vfmap/simhost';
import { DEMO, startSimAgent, type SimAgent } from './testing/simAgent';

/**
 * The demo as users run it (`--kernel simulated`): GET …/topology carries each VF's settings,
 * read through the simulated kernel's `ip`, and a change made behind the agent's back (as
 * `ip link set <pf> vf N …` from a shell) shows without any write through vfmap.
 */
let h: SimAgent;
beforeAll(async () => {
  h = await startSimAgent({ kernel: 'from-config', args: ['--kernel', 'simulated'] });
});
afterAll(() => h.close());

const pf = (t: Topology, address: string) => t.pfs.find((p) => p.address === address)!;

describe('VF settings in the demo\'s topology', () => {
  it('every VF of a PF with a netdev has its driver\'s defaults (ice: spoof checking on; mlx5: off), and no warning', async () => {
    const t = await h.topology();
    const e810 = pf(t, DEMO.e810p0);
    expect(e810.vfs).toHaveLength(16);
    expect(e810.vfs.every((v) => v.config?.spoofChk === true && v.config.vlan === 0 && v.config.mac === null && v.config.linkState === 'auto')).toBe(true);
    const cx6 = pf(t, DEMO.cx6p1);
    expect(cx6.vfs.map((v) => v.config?.spoofChk)).toEqual([false, false, false, false]);
    expect(t.warnings.filter((w) => w.code.startsWith('vf-'))).toEqual([]);
  });

  it('a setting changed behind vfmap\'s back shows in the next topology', async () => {
    updateVfSettings(simPaths(h.root), DEMO.e810p0, 5, vfSettingsTraits('ice')!, { vlan: 200, qos: 2, mac: '02:00:00:00:18:05', trust: true });
    const deadline = Date.now() + 5000;
    let config = pf(await h.topology(), DEMO.e810p0).vfs[5]!.config;
    while (config?.vlan !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      config = pf(await h.topology(), DEMO.e810p0).vfs[5]!.config;
    }
    expect(config).toMatchObject({ vlan: 200, qos: 2, mac: '02:00:00:00:18:05', trust: true });
    expect(pf(await h.topology(), DEMO.e810p0).vfs[4]!.config).toMatchObject({ vlan: 0, mac: null, trust: false });
  });
});

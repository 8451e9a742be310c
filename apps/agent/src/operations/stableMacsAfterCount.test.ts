import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { fakeHost, fakePf, FAKE_PF } from '../testing/fakePfHost';
import { StepsStopped } from './errors';
import { giveStableMacs, type StableMacsAfterCountDeps } from './stableMacsAfterCount';
import { stableVfMacs } from './stableMacs';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 8);
const kept = (over: Partial<DesiredPfState> = {}): DesiredPfState => ({ count: 4, vendorId: '8086', deviceId: '1572', setAt: '2026-12-06T17:00:00Z', stableMacs: true, driversAutoprobe: null, vfs: [], ...over });

async function setup(state: DesiredPfState | null) {
  const host = fakeHost(fakePf(4));
  if (state) await host.deps.desired.update(host.pf, () => state);
  const deps: StableMacsAfterCountDeps = { ...host.deps, stableMacs: async (_pf, count) => MACS.slice(0, count) };
  return { host, deps };
}

describe('giveStableMacs: new VFs of a PF with stable MACs get theirs after the count write', () => {
  it('gives every new VF its stable MAC and answers the PF re-read', async () => {
    const { host, deps } = await setup(kept());
    const result = await giveStableMacs(deps, host.record, host.pf, 'wrote 4');
    expect(host.calls).toEqual([0, 1, 2, 3].map((i) => `vf-config ${i} mac=${MACS[i]}`));
    expect(result?.given).toBe(4);
    expect(result?.pf.vfs.map((vf) => vf.config?.mac)).toEqual(MACS.slice(0, 4));
  });

  it('does nothing where stable MACs are off, nothing is kept, or what is kept is another card\'s', async () => {
    for (const state of [kept({ stableMacs: false }), null, kept({ deviceId: '1889' })]) {
      const { host, deps } = await setup(state);
      expect(await giveStableMacs(deps, host.record, host.pf, 'wrote 4')).toBeNull();
      expect(host.calls).toEqual([]);
    }
  });

  it('reports a VF the driver refuses as a partial outcome: the count was written, these VFs have their MAC', async () => {
    const { host, deps } = await setup(kept());
    host.failOn('vf-config 2', Object.assign(new Error('RTNETLINK answers: Invalid argument'), { code: 'EINVAL' }));
    const err = await giveStableMacs(deps, host.record, host.pf, "Wrote 4 to sriov_numvfs").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepsStopped);
    const stopped = err as StepsStopped;
    expect(stopped.done).toEqual(['Wrote 4 to sriov_numvfs', `ip link set dev ens2f0 vf 0 mac ${MACS[0]}`, `ip link set dev ens2f0 vf 1 mac ${MACS[1]}`]);
    expect(stopped.failed).toBe(`ip link set dev ens2f0 vf 2 mac ${MACS[2]}`);
    expect(stopped.refused).toBe(true);
    expect(stopped.message).toContain(`${FAKE_PF} has 4 VFs now`);
    expect(stopped.message).toContain('2 VFs have their stable MAC');
    expect(stopped.message).toContain('/reapply');
  });
});

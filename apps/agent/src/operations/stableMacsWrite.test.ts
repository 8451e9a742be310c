import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { fakeHost, fakePf, fakeVf, FAKE_PF } from '../testing/fakePfHost';
import { OperationRefused, StepsStopped } from './errors';
import { PfLocks } from './pfLock';
import { stableVfMacs } from './stableMacs';
import { setStableMacs, type StableMacsDeps } from './stableMacsWrite';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 8);
const NOW = new Date('2026-12-06T17:00:00Z');

function setup(pf = fakePf(3)) {
  const host = fakeHost(pf);
  const deps: StableMacsDeps = { ...host.deps, locks: new PfLocks(), stableMacs: async (_pf, count) => MACS.slice(0, count), now: () => NOW };
  return { host, deps };
}

describe('setStableMacs: a PF\'s VFs given MACs that survive reboots and count changes', () => {
  it('records stable MACs in the desired state before it gives each existing VF its MAC', async () => {
    const { host, deps } = setup();
    const result = await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null);
    expect(host.calls).toEqual([0, 1, 2].map((i) => `vf-config ${i} mac=${MACS[i]}`));
    expect((await host.deps.desired.read())[FAKE_PF]).toEqual({
      count: 3,
      vendorId: '8086',
      deviceId: '1572',
      setAt: NOW.toISOString(),
      stableMacs: true,
      driversAutoprobe: null,
      vfs: [0, 1, 2].map((index) => ({ index, settings: { mac: MACS[index] }, driver: null })),
    });
    expect(result.changed).toBe(true);
    expect(result.steps).toHaveLength(4);
    expect(result.steps[1]).toBe(`ip link set dev ens2f0 vf 0 mac ${MACS[0]}`);
    expect(result.pf.vfs.map((vf) => vf.config?.mac)).toEqual(MACS.slice(0, 3));
    expect(result.message).toContain('3 VFs given their stable MAC');
    expect(host.record.progressed.map((p) => p.slice(0, 4))).toEqual(['1/4 ', '2/4 ', '3/4 ', '4/4 ']);
  });

  it('writes nothing when it is on and every VF has its MAC', async () => {
    const { host, deps } = setup();
    await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null);
    const calls = host.calls.length;
    const again = await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null);
    expect(again.changed).toBe(false);
    expect(host.calls.length).toBe(calls);
  });

  it('turned off, changes the desired state only, keeping a MAC an operator set on a VF', async () => {
    const kept: DesiredPfState = {
      count: 3,
      vendorId: '8086',
      deviceId: '1572',
      setAt: '2026-01-01T00:00:00Z',
      stableMacs: true,
      driversAutoprobe: null,
      vfs: [
        { index: 0, settings: { mac: MACS[0]!, vlan: 10 }, driver: null },
        { index: 1, settings: { mac: '02:00:00:00:00:01' }, driver: null },
        { index: 2, settings: { mac: MACS[2]! }, driver: null },
      ],
    };
    const { host, deps } = setup();
    await host.deps.desired.update(fakePf(3), () => kept);
    const result = await setStableMacs(deps, host.record, FAKE_PF, { enabled: false }, null);
    expect(host.calls).toEqual([]);
    expect((await host.deps.desired.read())[FAKE_PF]?.vfs).toEqual([
      { index: 0, settings: { vlan: 10 }, driver: null },
      { index: 1, settings: { mac: '02:00:00:00:00:01' }, driver: null },
    ]);
    expect(result.message).toContain('keep the MACs they have');
  });

  it('turned off with nothing kept, keeps nothing', async () => {
    const { host, deps } = setup();
    expect((await setStableMacs(deps, host.record, FAKE_PF, { enabled: false }, null)).changed).toBe(false);
    expect(await host.deps.desired.read()).toEqual({});
  });

  it('stops at a VF the driver refuses, saying which VFs have their MAC, and keeps stable MACs on in the desired state', async () => {
    const { host, deps } = setup();
    host.failOn('vf-config 1', Object.assign(new Error('RTNETLINK answers: Operation not permitted'), { name: 'VfSettingRefused' }));
    const err = await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepsStopped);
    const stopped = err as StepsStopped;
    expect(stopped.done).toHaveLength(2);
    expect(stopped.failed).toBe(`ip link set dev ens2f0 vf 1 mac ${MACS[1]}`);
    expect(stopped.refused).toBe(true);
    expect(stopped.message).toContain('The desired state keeps stable MACs on');
    expect(host.calls).toEqual([`vf-config 0 mac=${MACS[0]}`, `vf-config 1 mac=${MACS[1]}`]);
    expect((await host.deps.desired.read())[FAKE_PF]?.stableMacs).toBe(true);
  });

  it('puts the desired state back when the first VF fails: no MAC changed', async () => {
    const { host, deps } = setup();
    host.failOn('vf-config 0', new Error('setVfConfig: not built yet'));
    const err = await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null).catch((e: unknown) => e);
    expect((err as StepsStopped).refused).toBe(false);
    expect((err as StepsStopped).message).toContain('the desired state was put back as it was');
    expect(await host.deps.desired.read()).toEqual({});
  });

  it('refuses a PF without a network interface', async () => {
    const { host, deps } = setup(fakePf(0, { netdevs: [] }));
    const err = await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null).catch((e: unknown) => e);
    expect((err as OperationRefused).refusal).toEqual({ reason: 'no-net-interface', pf: FAKE_PF });
  });

  it('says in the step when a VM holds the VF whose MAC changes', async () => {
    const pf = fakePf(1);
    pf.vfs[0] = fakeVf(FAKE_PF, 0, { holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    const { host, deps } = setup(pf);
    const result = await setStableMacs(deps, host.record, FAKE_PF, { enabled: true }, null);
    expect(result.steps[1]).toContain('held by router');
  });
});

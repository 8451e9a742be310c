import { describe, expect, it } from 'vitest';
import type { PrepareRequest } from '@vfmap/model';
import { fakeHost, fakePf, fakeVf, FAKE_PF } from '../testing/fakePfHost';
import { OperationRefused, StepsStopped } from './errors';
import { PfLocks } from './pfLock';
import { planPrepareVfs, prepareVfs, type PrepareDeps } from './prepare';
import { stableVfMacs } from './stableMacs';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 8);
const request = (over: Partial<PrepareRequest> = {}): PrepareRequest => ({ count: 4, driver: 'vfio-pci', stableMacs: true, ...over });

function setup(pf = fakePf(0), options: { persist?: boolean } = {}) {
  const host = fakeHost(pf, options);
  const deps: PrepareDeps = { ...host.deps, locks: new PfLocks(), stableMacs: async (_pf, count) => MACS.slice(0, count), now: () => new Date('2026-12-06T17:00:00Z') };
  return { host, deps };
}

describe('prepareVfs: VFs made ready for VMs in one operation', () => {
  it('records the desired state, then writes autoprobe, the count, each VF\'s MAC, each VF\'s driver and the boot file, in that order', async () => {
    const { host, deps } = setup();
    const result = await prepareVfs(deps, host.record, FAKE_PF, request(), null);
    expect(host.calls).toEqual([
      'autoprobe false',
      'numvfs 4',
      ...[0, 1, 2, 3].map((i) => `vf-config ${i} mac=${MACS[i]}`),
      ...[0, 1, 2, 3].map((i) => `vf-driver ${i} vfio-pci`),
      'persist',
    ]);
    expect((await host.deps.desired.read())[FAKE_PF]).toMatchObject({ count: 4, stableMacs: true, driversAutoprobe: false });
    expect(result.changed).toBe(true);
    expect(result.steps).toHaveLength(12);
    expect(result.steps[0]).toMatch(/^Record what/);
    expect(result.pf.numVfs).toBe(4);
    expect(result.pf.vfs.map((vf) => vf.config?.mac)).toEqual(MACS.slice(0, 4));
    expect(host.record.progressed).toHaveLength(12);
    expect(host.record.progressed[0]).toMatch(/^1\/12 Record what/);
    expect(host.record.progressed[11]).toMatch(/^12\/12 Write what keeps this at boot/);
    expect(host.record.acted).toBe(true);
  });

  it('stops at a step that fails, naming the steps done, and leaves them done with the desired state as asked', async () => {
    const { host, deps } = setup();
    host.failOn('vf-config 2', Object.assign(new Error('RTNETLINK answers: Invalid argument'), { code: 'EINVAL' }));
    const err = await prepareVfs(deps, host.record, FAKE_PF, request(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepsStopped);
    const stopped = err as StepsStopped;
    expect(stopped.done).toHaveLength(5);
    expect(stopped.done.slice(1, 3)).toEqual(["Write 0 to 0000:3b:00.0's sriov_drivers_autoprobe.", "Write 4 to 0000:3b:00.0's sriov_numvfs (0 → 4 VFs)."]);
    expect(stopped.failed).toBe(`ip link set dev ens2f0 vf 2 mac ${MACS[2]}`);
    expect(stopped.why).toBe('RTNETLINK answers: Invalid argument');
    expect(stopped.refused).toBe(true);
    expect(stopped.message).toContain('stopped at step 6 of 12');
    expect(stopped.message).toContain('The desired state keeps what was asked');
    expect(stopped.pfNow?.numVfs).toBe(4);
    expect(host.calls).not.toContain('persist');
    expect((await host.deps.desired.read())[FAKE_PF]?.count).toBe(4);
  });

  it('puts the desired state back when the first step on the host fails: nothing changed', async () => {
    const { host, deps } = setup();
    host.failOn('autoprobe', new Error('EACCES'));
    const err = await prepareVfs(deps, host.record, FAKE_PF, request(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepsStopped);
    expect((err as StepsStopped).done).toHaveLength(1);
    expect((err as StepsStopped).message).toContain('Nothing on the host changed; the desired state was put back as it was.');
    expect(await host.deps.desired.read()).toEqual({});
  });

  it('refuses a count change that destroys VFs VMs hold, unless forced', async () => {
    const pf = fakePf(2);
    pf.vfs[1] = fakeVf(FAKE_PF, 1, { holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    const { host, deps } = setup(pf);
    const err = await prepareVfs(deps, host.record, FAKE_PF, request(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationRefused);
    expect((err as OperationRefused).refusal).toMatchObject({ reason: 'vfs-held', previousCount: 2, count: 4 });
    expect(host.calls).toEqual([]);
    expect(await host.deps.desired.read()).toEqual({});

    const forced = await prepareVfs(deps, host.record, FAKE_PF, request({ force: true }), null);
    expect(forced.pf.numVfs).toBe(4);
    expect(host.calls.slice(0, 3)).toEqual(['autoprobe false', 'numvfs 0', 'numvfs 4']);
  });

  it('refuses stable MACs on a PF without a network interface', async () => {
    const { host, deps } = setup(fakePf(0, { netdevs: [] }));
    const err = await prepareVfs(deps, host.record, FAKE_PF, request(), null).catch((e: unknown) => e);
    expect((err as OperationRefused).refusal).toEqual({ reason: 'no-net-interface', pf: FAKE_PF });
    expect(host.calls).toEqual([]);
  });

  it('plans no boot-file step without a way to write one', async () => {
    const { host, deps } = setup(fakePf(0), { persist: false });
    const result = await prepareVfs(deps, host.record, FAKE_PF, request({ driver: null, stableMacs: false }), null);
    expect(host.calls).toEqual(['numvfs 4']);
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['desired', 'numvfs']);
  });
});

describe('planPrepareVfs: the dry run', () => {
  it('answers the plan and writes nothing, not even the desired state', async () => {
    const { host, deps } = setup();
    const result = await planPrepareVfs(deps, FAKE_PF, request());
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['desired', 'autoprobe', 'numvfs', 'vf-config', 'vf-config', 'vf-config', 'vf-config', 'vf-driver', 'vf-driver', 'vf-driver', 'vf-driver', 'persist']);
    expect(result).toMatchObject({ operationId: '', changed: false, steps: [] });
    expect(host.calls).toEqual([]);
    expect(await host.deps.desired.read()).toEqual({});
  });
});

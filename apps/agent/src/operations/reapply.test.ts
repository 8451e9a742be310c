import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { fakeHost, fakePf, fakeVf, FAKE_PF } from '../testing/fakePfHost';
import { OperationRefused, StepsStopped } from './errors';
import { PfLocks } from './pfLock';
import { reapplyDesired, type ReapplyDeps } from './reapply';
import { stableVfMacs } from './stableMacs';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 8);
const desired = (over: Partial<DesiredPfState> = {}): DesiredPfState => ({
  count: 4,
  vendorId: '8086',
  deviceId: '1572',
  setAt: '2026-12-06T17:00:00Z',
  stableMacs: true,
  driversAutoprobe: false,
  vfs: [{ index: 1, settings: { vlan: 20 }, driver: 'vfio-pci' }],
  ...over,
});

async function setup(pf = fakePf(0), kept: DesiredPfState | null = desired()) {
  const host = fakeHost(pf);
  if (kept) await host.deps.desired.update(pf, () => kept);
  const deps: ReapplyDeps = { ...host.deps, locks: new PfLocks(), stableMacs: async (_pf, count) => MACS.slice(0, count) };
  return { host, deps };
}

describe('reapplyDesired: the live PF put back to its desired state', () => {
  it('after a reboot nothing persisted: autoprobe, count, stable MACs and VLAN, driver — with progress — and the desired state unchanged', async () => {
    const { host, deps } = await setup();
    const result = await reapplyDesired(deps, host.record, FAKE_PF, null);
    expect(host.calls).toEqual([
      'autoprobe false',
      'numvfs 4',
      `vf-config 0 mac=${MACS[0]}`,
      `vf-config 1 mac=${MACS[1]} vlan=20`,
      `vf-config 2 mac=${MACS[2]}`,
      `vf-config 3 mac=${MACS[3]}`,
      'vf-driver 1 vfio-pci',
    ]);
    expect(result).toMatchObject({ operationId: 'op-1', changed: true });
    expect(result.steps).toHaveLength(7);
    expect(result.pf.numVfs).toBe(4);
    expect(result.pf.vfs[1]).toMatchObject({ driverOverride: 'vfio-pci', config: { mac: MACS[1], vlan: 20 } });
    expect(host.record.progressed).toHaveLength(7);
    expect(host.record.progressed[6]).toMatch(/^7\/7 Bind VF 1 to vfio-pci/);
    expect((await host.deps.desired.read())[FAKE_PF]).toEqual(desired());
  });

  it('writes nothing when the PF already matches', async () => {
    const { host, deps } = await setup();
    await reapplyDesired(deps, host.record, FAKE_PF, null);
    const again = await reapplyDesired(deps, host.record, FAKE_PF, null);
    expect(again).toMatchObject({ changed: false, steps: [] });
    expect(again.message).toContain('already matches its desired state');
    expect(host.calls).toHaveLength(7);
  });

  it('puts back one setting changed behind vfmap\'s back, and only that', async () => {
    const { host, deps } = await setup();
    await reapplyDesired(deps, host.record, FAKE_PF, null);
    host.pf.vfs[2] = { ...host.pf.vfs[2]!, config: { ...host.pf.vfs[2]!.config!, mac: '02:99:99:99:99:99' } };
    const result = await reapplyDesired(deps, host.record, FAKE_PF, null);
    expect(result.steps).toEqual([`ip link set dev ens2f0 vf 2 mac ${MACS[2]}`]);
    expect(host.calls.at(-1)).toBe(`vf-config 2 mac=${MACS[2]}`);
  });

  it('stops at a failed step with StepsStopped naming the steps done', async () => {
    const { host, deps } = await setup();
    host.failOn('vf-driver 1', Object.assign(new Error('EBUSY'), { code: 'EBUSY' }));
    const err = await reapplyDesired(deps, host.record, FAKE_PF, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepsStopped);
    const stopped = err as StepsStopped;
    expect(stopped.done).toHaveLength(6);
    expect(stopped.failed).toMatch(/^Bind VF 1 to vfio-pci/);
    expect(stopped.message).toContain('Re-applying the desired state of 0000:3b:00.0 stopped at step 7 of 7');
    expect(stopped.pfNow?.numVfs).toBe(4);
    expect(host.record.progressed).toHaveLength(6);
  });

  it('refuses to destroy VFs VMs hold to get back to the desired count', async () => {
    const pf = fakePf(2);
    pf.vfs[0] = fakeVf(FAKE_PF, 0, { holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    const { host, deps } = await setup(pf);
    const err = await reapplyDesired(deps, host.record, FAKE_PF, null).catch((e: unknown) => e);
    expect((err as OperationRefused).refusal).toMatchObject({ reason: 'vfs-held', previousCount: 2, count: 4 });
    expect(host.calls).toEqual([]);
  });

  it('has nothing to re-apply without a desired state, or with one kept for another card', async () => {
    const none = await setup(fakePf(0), null);
    expect((await reapplyDesired(none.deps, none.host.record, FAKE_PF, null)).message).toContain('keeps no desired state');
    const other = await setup(fakePf(0), desired({ deviceId: '1889' }));
    expect((await reapplyDesired(other.deps, other.host.record, FAKE_PF, null)).changed).toBe(false);
    expect(other.host.calls).toEqual([]);
  });
});

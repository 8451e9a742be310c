import { describe, expect, it } from 'vitest';
import type { DesiredPfState, PrepareRequest } from '@vfmap/model';
import { fakePf, fakeVf, FAKE_PF } from '../testing/fakePfHost';
import { planPrepare } from './preparePlan';
import { stableVfMacs } from './stableMacs';

const NOW = new Date('2026-12-06T17:00:00Z');
const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 4);
const request = (over: Partial<PrepareRequest> = {}): PrepareRequest => ({ count: 4, driver: 'vfio-pci', stableMacs: true, ...over });
const kinds = (p: ReturnType<typeof planPrepare>) => p.plan.steps.map((s) => s.kind);

describe('planPrepare: "prepare VFs for VMs" as the steps it will take', () => {
  it('records the desired state first, then autoprobe, the count, each VF\'s MAC and VLAN, each VF\'s driver, and the boot file last', () => {
    const planned = planPrepare({ pf: fakePf(0), request: request({ vlans: [10, null, 30] }), macs: MACS, desiredNow: null, now: NOW, persist: true });
    expect(kinds(planned)).toEqual(['desired', 'autoprobe', 'numvfs', 'vf-config', 'vf-config', 'vf-config', 'vf-config', 'vf-driver', 'vf-driver', 'vf-driver', 'vf-driver', 'persist']);
    expect(planned.actions).toHaveLength(planned.plan.steps.length);
    expect(planned.actions[1]).toEqual({ kind: 'autoprobe', enabled: false });
    expect(planned.actions[2]).toEqual({ kind: 'numvfs', count: 4 });
    expect(planned.actions[3]).toEqual({ kind: 'vf-config', index: 0, change: { mac: MACS[0], vlan: 10 } });
    expect(planned.actions[4]).toEqual({ kind: 'vf-config', index: 1, change: { mac: MACS[1] } });
    expect(planned.plan.steps[3]!.description).toBe(`ip link set dev ens2f0 vf 0 mac ${MACS[0]} vlan 10`);
    expect(planned.plan.macs).toEqual(MACS);
    expect(planned.needsForce).toBe(false);
  });

  it('plans no boot-file step when the agent cannot write one', () => {
    expect(kinds(planPrepare({ pf: fakePf(0), request: request(), macs: MACS, desiredNow: null, now: NOW, persist: false }))).not.toContain('persist');
  });

  it('skips what the PF already has: the count, a MAC the VF has, a VF already on vfio-pci, autoprobe already off', () => {
    const pf = fakePf(4, { driversAutoprobe: false });
    pf.vfs[0] = fakeVf(FAKE_PF, 0, { driver: 'vfio-pci', driverOverride: 'vfio-pci', config: { ...pf.vfs[0]!.config!, mac: MACS[0]! } });
    const planned = planPrepare({ pf, request: request(), macs: MACS, desiredNow: null, now: NOW, persist: true });
    expect(kinds(planned)).toEqual(['desired', 'vf-config', 'vf-config', 'vf-config', 'vf-driver', 'vf-driver', 'vf-driver', 'persist']);
    expect(planned.actions.filter((a) => a.kind === 'vf-config').map((a) => (a.kind === 'vf-config' ? a.index : -1))).toEqual([1, 2, 3]);
  });

  it('needs force when VMs hold VFs the count change destroys, and says so in the warnings', () => {
    const pf = fakePf(2);
    pf.vfs[1] = fakeVf(FAKE_PF, 1, { holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    const planned = planPrepare({ pf, request: request(), macs: MACS, desiredNow: null, now: NOW, persist: true });
    expect(planned.needsForce).toBe(true);
    expect(planned.heldRefusal).toContain('router');
    expect(planned.plan.warnings.join(' ')).toContain('router');
    expect(planPrepare({ pf, request: request({ force: true }), macs: MACS, desiredNow: null, now: NOW, persist: true }).plan.warnings[0]).toMatch(/^Forced: /);
  });

  it('writes the desired state with the count, autoprobe, each VF\'s MAC, VLAN and driver, keeping other kept settings of those VFs', () => {
    const kept: DesiredPfState = { count: 2, vendorId: '8086', deviceId: '1572', setAt: '2026-01-01T00:00:00Z', stableMacs: false, driversAutoprobe: null, vfs: [{ index: 1, settings: { trust: true }, driver: null }] };
    const planned = planPrepare({ pf: fakePf(2), request: request({ vlans: [null, 20] }), macs: MACS, desiredNow: kept, now: NOW, persist: true });
    const desired = planned.actions[0];
    expect(desired?.kind).toBe('desired');
    expect(desired?.kind === 'desired' ? desired.state : null).toEqual({
      count: 4,
      vendorId: '8086',
      deviceId: '1572',
      setAt: NOW.toISOString(),
      stableMacs: true,
      driversAutoprobe: false,
      vfs: [
        { index: 0, settings: { mac: MACS[0] }, driver: 'vfio-pci' },
        { index: 1, settings: { trust: true, mac: MACS[1], vlan: 20 }, driver: 'vfio-pci' },
        { index: 2, settings: { mac: MACS[2] }, driver: 'vfio-pci' },
        { index: 3, settings: { mac: MACS[3] }, driver: 'vfio-pci' },
      ],
    });
  });

  it('gives VFs back to the host driver when asked for none, except one a VM holds', () => {
    const pf = fakePf(2);
    pf.vfs[0] = fakeVf(FAKE_PF, 0, { driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    pf.vfs[1] = fakeVf(FAKE_PF, 1, { driver: 'vfio-pci', driverOverride: 'vfio-pci', holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    const planned = planPrepare({ pf, request: request({ count: 2, driver: null, stableMacs: false }), macs: [], desiredNow: null, now: NOW, persist: false });
    expect(planned.actions.filter((a) => a.kind === 'vf-driver')).toEqual([{ kind: 'vf-driver', index: 0, driver: null }]);
    expect(planned.plan.warnings.join(' ')).toContain('VF 1 stays on vfio-pci');
  });
});

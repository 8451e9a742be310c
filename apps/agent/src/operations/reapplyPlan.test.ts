import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { fakePf, fakeVf, FAKE_PF } from '../testing/fakePfHost';
import { differing, planReapply } from './reapplyPlan';
import { stableVfMacs } from './stableMacs';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 4);
const desired = (over: Partial<DesiredPfState> = {}): DesiredPfState => ({ count: 4, vendorId: '8086', deviceId: '1572', setAt: '2026-12-06T17:00:00Z', stableMacs: false, driversAutoprobe: null, vfs: [], ...over });
const kinds = (plan: ReturnType<typeof planReapply>) => plan.steps.map((s) => s.action.kind);

describe('planReapply: what brings the live PF back to its desired state', () => {
  it('writes nothing when the PF matches', () => {
    expect(planReapply({ pf: fakePf(4), desired: desired(), macs: [] }).steps).toEqual([]);
  });

  it('after a reboot nothing persisted: autoprobe, the count, every VF\'s stable MAC and kept settings, every kept driver, in that order', () => {
    const plan = planReapply({
      pf: fakePf(0),
      desired: desired({ stableMacs: true, driversAutoprobe: false, vfs: [{ index: 1, settings: { vlan: 20, qos: 3, trust: true }, driver: 'vfio-pci' }, { index: 2, settings: { mac: '02:00:00:00:00:02' }, driver: null }] }),
      macs: MACS,
    });
    expect(kinds(plan)).toEqual(['autoprobe', 'numvfs', 'vf-config', 'vf-config', 'vf-config', 'vf-config', 'vf-driver']);
    expect(plan.steps.map((s) => s.action)).toEqual([
      { kind: 'autoprobe', enabled: false },
      { kind: 'numvfs', count: 4 },
      { kind: 'vf-config', index: 0, change: { mac: MACS[0] } },
      { kind: 'vf-config', index: 1, change: { mac: MACS[1], vlan: 20, qos: 3, trust: true } },
      { kind: 'vf-config', index: 2, change: { mac: '02:00:00:00:00:02' } },
      { kind: 'vf-config', index: 3, change: { mac: MACS[3] } },
      { kind: 'vf-driver', index: 1, driver: 'vfio-pci' },
    ]);
    expect(plan.steps[3]!.description).toBe(`ip link set dev ens2f0 vf 1 mac ${MACS[1]} vlan 20 qos 3 trust on`);
    expect(plan.steps[1]!.description).toBe("Write 4 to 0000:3b:00.0's sriov_numvfs (0 → 4 VFs).");
  });

  it('writes only the settings that differ when the count is right', () => {
    const pf = fakePf(4);
    pf.vfs[0] = fakeVf(FAKE_PF, 0, { config: { ...pf.vfs[0]!.config!, mac: MACS[0]!, vlan: 5 } });
    const plan = planReapply({ pf, desired: desired({ stableMacs: true, vfs: [{ index: 0, settings: { vlan: 7 }, driver: null }] }), macs: MACS });
    expect(plan.steps.map((s) => s.action)).toEqual([
      { kind: 'vf-config', index: 0, change: { vlan: 7 } },
      { kind: 'vf-config', index: 1, change: { mac: MACS[1] } },
      { kind: 'vf-config', index: 2, change: { mac: MACS[2] } },
      { kind: 'vf-config', index: 3, change: { mac: MACS[3] } },
    ]);
  });

  it('binds kept vfio-pci VFs that lost it, gives back those kept on the host driver, and leaves one a VM holds', () => {
    const pf = fakePf(3);
    pf.vfs[1] = fakeVf(FAKE_PF, 1, { driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    pf.vfs[2] = fakeVf(FAKE_PF, 2, { driver: 'vfio-pci', driverOverride: 'vfio-pci', holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    const plan = planReapply({
      pf,
      desired: desired({ count: 3, vfs: [{ index: 0, settings: {}, driver: 'vfio-pci' }, { index: 1, settings: {}, driver: null }, { index: 2, settings: {}, driver: null }] }),
      macs: [],
    });
    expect(plan.steps.map((s) => s.action)).toEqual([
      { kind: 'vf-driver', index: 0, driver: 'vfio-pci' },
      { kind: 'vf-driver', index: 1, driver: null },
    ]);
    expect(plan.warnings).toEqual(['VF 2 stays on vfio-pci: router (101) holds it.']);
  });

  it('says so when the count change would destroy VFs VMs hold', () => {
    const pf = fakePf(2);
    pf.vfs[0] = fakeVf(FAKE_PF, 0, { holder: { vmId: '101', vmName: 'router', via: 'hostpci0', pending: false } });
    expect(planReapply({ pf, desired: desired(), macs: [] }).heldRefusal).toContain('router');
  });
});

describe('differing: the settings a VF does not have', () => {
  it('sends a VLAN with its qos and protocol when any of them differs', () => {
    const live = fakeVf(FAKE_PF, 0).config!;
    expect(differing({ vlan: 0, qos: 2 }, live)).toEqual({ vlan: 0, qos: 2 });
    expect(differing({ vlan: 0 }, live)).toBeNull();
    expect(differing({ spoofChk: false, trust: false, linkState: 'auto' }, live)).toEqual({ spoofChk: false });
  });

  it('sends everything kept when the live settings are not known', () => {
    expect(differing({ mac: MACS[0]!, maxTxRateMbps: 0 }, null)).toEqual({ mac: MACS[0], maxTxRateMbps: 0 });
  });
});

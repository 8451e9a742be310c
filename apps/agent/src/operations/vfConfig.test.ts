import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHypervisor } from '@vfmap/hypervisors';
import type { DesiredPfState, VfConfigChange, VfSettingName } from '@vfmap/model';
import { generateHost, profiles, tempRoot } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import type { DesiredStore } from '../desired/desiredStore';
import { vfSettingsReader } from '../kernel/vfSettingsReader';
import { vfSettingsWriter } from '../kernel/vfSettingsWriter';
import { inlineScanner } from '../scanner';
import { TopologyService } from '../topologyService';
import { VfSettingRefused } from './errors';
import type { OperationRecord } from './operationRun';
import { PfLocks } from './pfLock';
import { mergeDesired, setVfConfig, type VfConfigDeps } from './vfConfig';

/**
 * The vfconfig operation over a simulated host (the `minimal` profile: one igb 82576, enp1s0 at
 * 01:00.0, 2 VFs) with a small in-memory DesiredStore: the settings are kept before the live
 * change, merged into what was kept for the VF.
 */
const PF = '0000:01:00.0';
const AT = new Date('2026-12-06T18:00:00Z');

/** The DesiredStore interface over a plain object, as the persistence branch's file store behaves. */
function memoryStore(): DesiredStore & { kept: Record<string, DesiredPfState> } {
  const kept: Record<string, DesiredPfState> = {};
  return {
    kept,
    read: async () => ({ ...kept }),
    update: async (pf, change) => {
      const next = change(kept[pf.address] ?? null);
      if (next) kept[pf.address] = next;
      else delete kept[pf.address];
      return next;
    },
    restore: async (address, entry) => {
      if (entry) kept[address] = entry;
      else delete kept[address];
    },
  };
}

let tmp: ReturnType<typeof tempRoot>;
let deps: VfConfigDeps & { desiredStore: ReturnType<typeof memoryStore> };
let vf1: string;
let order: string[];
const record = (): OperationRecord => ({ id: 'op-1', before: null, after: null, acting: async () => undefined, progress: () => undefined });

beforeEach(async () => {
  tmp = tempRoot();
  generateHost(tmp.dir, profiles['minimal']!);
  const spec = { kind: 'simulated' as const, root: tmp.dir };
  const topology = new TopologyService({ root: tmp.dir, hostId: 'mini', hypervisor: createHypervisor('none'), scanner: inlineScanner(), recheckMs: 0, ipLinkShow: vfSettingsReader(spec) });
  const writer = vfSettingsWriter(spec, sysfsPaths(tmp.dir));
  order = [];
  const desiredStore = memoryStore();
  deps = {
    topology,
    locks: new PfLocks(),
    steps: {
      setVfConfig: async (pf: string, index: number, change: VfConfigChange): Promise<VfSettingName[]> => {
        order.push(`live: desired kept ${JSON.stringify(desiredStore.kept[PF]?.vfs.find((v) => v.index === index)?.settings ?? null)}`);
        return writer(pf, index, change);
      },
    },
    announce: () => undefined,
    desiredStore,
    now: () => AT,
  };
  vf1 = (await topology.get()).topology.pfs.find((p) => p.address === PF)!.vfs[1]!.address;
});
afterEach(() => tmp.remove());

describe('setVfConfig (the operation)', () => {
  it('keeps the settings as desired before it changes the VF, then answers the VF as read back', async () => {
    const result = await setVfConfig(deps, record(), vf1, { mac: '02:00:00:00:01:01', vlan: 10, qos: 2, trust: true });
    expect(order).toEqual(['live: desired kept {"mac":"02:00:00:00:01:01","vlan":10,"qos":2,"trust":true}']);
    expect(result.applied).toEqual(['mac', 'vlan', 'trust']);
    expect(result.vf.config).toMatchObject({ mac: '02:00:00:00:01:01', vlan: 10, qos: 2, trust: true });
    expect(deps.desiredStore.kept[PF]).toMatchObject({ count: 2, vendorId: '8086', deviceId: '10c9', setAt: AT.toISOString(), vfs: [{ index: 1, driver: null }] });
  });

  it('keeps for the next boot what took effect when the driver refuses part of it: the applied settings, not the refused one', async () => {
    const err = await setVfConfig(deps, record(), vf1, { trust: true, linkState: 'disable' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VfSettingRefused);
    expect((err as VfSettingRefused).details).toMatchObject({ vf: vf1, setting: 'linkState', applied: ['trust'], vfNow: { config: { trust: true, linkState: 'auto' } } });
    // Kept before the live change (what a crash in between would leave), then narrowed to what was applied.
    expect(order).toEqual(['live: desired kept {"trust":true,"linkState":"disable"}']);
    expect(deps.desiredStore.kept[PF]!.vfs[0]!.settings).toEqual({ trust: true });
    expect((err as Error).message).toContain('the refused one is not');
  });

  it('puts back what was kept before when the first setting is refused', async () => {
    await setVfConfig(deps, record(), vf1, { mac: '02:00:00:00:01:01' });
    const err = await setVfConfig(deps, record(), vf1, { linkState: 'disable' }).catch((e: unknown) => e);
    expect((err as VfSettingRefused).details).toMatchObject({ setting: 'linkState', applied: [] });
    expect(deps.desiredStore.kept[PF]!.vfs[0]!.settings).toEqual({ mac: '02:00:00:00:01:01' });
  });
});

describe('mergeDesired', () => {
  const pf = { numVfs: 4, vendorId: '8086', deviceId: '10c9' };
  it('merges a change into what is kept for the VF, leaving the other VFs and keys as they were', () => {
    let state = mergeDesired(null, pf, 2, { mac: '02:00:00:00:00:02', trust: true }, AT);
    state = mergeDesired(state, pf, 0, { spoofChk: false }, AT);
    state = mergeDesired(state, pf, 2, { trust: false, maxTxRateMbps: 100 }, AT);
    expect(state.vfs).toEqual([
      { index: 0, settings: { spoofChk: false }, driver: null },
      { index: 2, settings: { mac: '02:00:00:00:00:02', trust: false, maxTxRateMbps: 100 }, driver: null },
    ]);
  });

  it('a new VLAN replaces the kept qos and protocol, as ip link set … vlan V sets them with it', () => {
    const state = mergeDesired(mergeDesired(null, pf, 1, { vlan: 10, qos: 5, vlanProtocol: '802.1ad' }, AT), pf, 1, { vlan: 20 }, AT);
    expect(state.vfs[0]!.settings).toEqual({ vlan: 20 });
  });

  it('keeps the rest of the PF\'s desired state (count, driver of the VF, autoprobe)', () => {
    const current: DesiredPfState = { count: 8, vendorId: '8086', deviceId: '10c9', setAt: '2026-01-01T00:00:00Z', stableMacs: true, driversAutoprobe: false, vfs: [{ index: 1, settings: {}, driver: 'vfio-pci' }] };
    const state = mergeDesired(current, pf, 1, { vlan: 3 }, AT);
    expect(state).toEqual({ ...current, setAt: AT.toISOString(), vfs: [{ index: 1, settings: { vlan: 3 }, driver: 'vfio-pci' }] });
  });
});

import { describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { MemoryDesiredStore } from '../desired/memoryDesiredStore';
import { fakePf, FAKE_PF } from '../testing/fakePfHost';
import { followCount, restoreCount } from './desiredCount';
import { stableVfMacs } from './stableMacs';

const MACS = stableVfMacs('pve1', '3c:fd:fe:00:00:01', 8);
const NOW = new Date('2026-12-06T17:00:00Z');
const kept = (over: Partial<DesiredPfState> = {}): DesiredPfState => ({ count: 2, vendorId: '8086', deviceId: '1572', setAt: '2026-01-01T00:00:00Z', stableMacs: false, driversAutoprobe: null, vfs: [], ...over });
const deps = (store: MemoryDesiredStore, stableMacs = async (_pf: unknown, count: number) => MACS.slice(0, count)) => ({ desired: store, stableMacs, now: () => NOW });

describe('followCount: the kept count follows a count change', () => {
  it('changes the kept count before the write, keeping the rest, and answers what it was', async () => {
    const store = new MemoryDesiredStore({ [FAKE_PF]: kept({ driversAutoprobe: false, vfs: [{ index: 0, settings: { vlan: 5 }, driver: 'vfio-pci' }] }) });
    const followed = await followCount(deps(store), fakePf(2), 4);
    expect(followed?.previous.count).toBe(2);
    expect((await store.read())[FAKE_PF]).toMatchObject({ count: 4, driversAutoprobe: false, setAt: NOW.toISOString(), vfs: [{ index: 0, settings: { vlan: 5 }, driver: 'vfio-pci' }] });
  });

  it('keeps the stable MAC of each new VF index where stable MACs are on', async () => {
    const store = new MemoryDesiredStore({ [FAKE_PF]: kept({ stableMacs: true, vfs: [0, 1].map((index) => ({ index, settings: { mac: MACS[index]! }, driver: null })) }) });
    await followCount(deps(store), fakePf(2), 4);
    expect((await store.read())[FAKE_PF]?.vfs.map((v) => v.settings.mac)).toEqual(MACS.slice(0, 4));
  });

  it('makes up nothing for a PF with nothing kept, or kept for another card, or the same count', async () => {
    const store = new MemoryDesiredStore();
    expect(await followCount(deps(store), fakePf(2), 4)).toBeNull();
    expect(await store.read()).toEqual({});
    const other = new MemoryDesiredStore({ [FAKE_PF]: kept({ deviceId: '1889' }) });
    expect(await followCount(deps(other), fakePf(2), 4)).toBeNull();
    expect(await followCount(deps(new MemoryDesiredStore({ [FAKE_PF]: kept() })), fakePf(2), 2)).toBeNull();
  });

  it('still follows the count when the permanent MAC cannot be read (the MACs are then derived when given)', async () => {
    const store = new MemoryDesiredStore({ [FAKE_PF]: kept({ stableMacs: true }) });
    await followCount(deps(store, async () => Promise.reject(new Error('no permanent MAC'))), fakePf(2), 4);
    expect((await store.read())[FAKE_PF]?.count).toBe(4);
  });

  it('restoreCount puts back what was kept', async () => {
    const store = new MemoryDesiredStore({ [FAKE_PF]: kept() });
    const followed = await followCount(deps(store), fakePf(2), 4);
    await restoreCount(deps(store), fakePf(2), followed!.previous);
    expect((await store.read())[FAKE_PF]).toEqual(kept());
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesiredPfState } from '@vfmap/model';
import { DesiredFile, DesiredStateError, DesiredStateFile } from './desiredFile';
import { withCount } from './withCount';

const PF = { address: '0000:18:00.0', vendorId: '8086', deviceId: '159b' };
const AT = new Date('2026-12-06T10:00:00.000Z');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store(): { desired: DesiredFile; path: string; legacy: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vfmap-desired-'));
  dirs.push(dir);
  const path = join(dir, 'desired.json');
  const legacy = join(dir, 'desired-numvfs.json');
  return { desired: new DesiredFile(path, legacy), path, legacy };
}

const state = (over: Partial<DesiredPfState> = {}): DesiredPfState => ({
  count: 4,
  vendorId: PF.vendorId,
  deviceId: PF.deviceId,
  setAt: AT.toISOString(),
  stableMacs: false,
  driversAutoprobe: null,
  vfs: [],
  ...over,
});

describe('DesiredFile', () => {
  it('reads nothing kept when neither file exists', async () => {
    expect(await store().desired.read()).toEqual({});
  });

  it('keeps a PF\'s state in a version 2 file, and removes it when the change answers null', async () => {
    const { desired, path } = store();
    const kept = await desired.update(PF, () => state({ vfs: [{ index: 1, settings: { vlan: 100 }, driver: 'vfio-pci' }] }));
    expect(kept).toMatchObject({ count: 4, vfs: [{ index: 1, settings: { vlan: 100 }, driver: 'vfio-pci' }] });
    const file = DesiredStateFile.parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(file.version).toBe(2);
    expect(file.pfs[PF.address]).toEqual(kept);
    expect(await desired.update(PF, () => null)).toBeNull();
    expect(await desired.read()).toEqual({});
  });

  it('reads the count-only file of earlier versions as the desired state, and replaces it at the first change', async () => {
    const { desired, path, legacy } = store();
    writeFileSync(
      legacy,
      JSON.stringify({ version: 1, pfs: { [PF.address]: { count: 8, vendorId: PF.vendorId, deviceId: PF.deviceId, setAt: AT.toISOString() }, '0000:3b:00.1': { count: 2, vendorId: '8086', deviceId: '1572', setAt: AT.toISOString() } } }),
    );
    expect(await desired.read()).toEqual({ [PF.address]: state({ count: 8 }), '0000:3b:00.1': state({ count: 2, deviceId: '1572' }) });
    await desired.update(PF, (current) => current && { ...current, stableMacs: true });
    expect(existsSync(legacy)).toBe(false);
    const file = DesiredStateFile.parse(JSON.parse(readFileSync(path, 'utf8')));
    // Nothing the operator set is lost: the other PF's count moved over too.
    expect(file.pfs).toEqual({ [PF.address]: state({ count: 8, stableMacs: true }), '0000:3b:00.1': state({ count: 2, deviceId: '1572' }) });
  });

  it('refuses a corrupt file with an error naming it, and does not overwrite it', async () => {
    const { desired, path } = store();
    writeFileSync(path, '{"version": 2, "pfs": {');
    await expect(desired.read()).rejects.toThrow(DesiredStateError);
    await expect(desired.update(PF, () => state())).rejects.toThrow(`${path} is not JSON`);
    writeFileSync(path, JSON.stringify({ version: 2, pfs: { [PF.address]: { count: -1 } } }));
    await expect(desired.read()).rejects.toThrow(/does not hold a desired state \(version 2\): pfs\.0000:18:00\.0\.count/);
    expect(readFileSync(path, 'utf8')).toContain('"count":-1');
  });

  it('serializes concurrent changes: none is lost', async () => {
    const { desired } = store();
    await desired.update(PF, () => state({ count: 0 }));
    const changes = Array.from({ length: 20 }, (_, i) =>
      desired.update(PF, (current) => ({ ...current!, vfs: [...current!.vfs, { index: i, settings: { trust: true }, driver: null }] })),
    );
    const other = { address: '0000:3b:00.1', vendorId: '8086', deviceId: '1572' };
    changes.push(desired.update(other, () => state({ count: 2, deviceId: '1572' })));
    await Promise.all(changes);
    const kept = await desired.read();
    expect(kept[PF.address]!.vfs.map((v) => v.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(kept[other.address]!.count).toBe(2);
  });

  it('gives the change null as current when the kept state is for another card in the slot', async () => {
    const { desired } = store();
    await desired.update(PF, () => state({ count: 8 }));
    let seen: DesiredPfState | null | undefined;
    const replaced = await desired.update({ ...PF, deviceId: '1592' }, (current) => {
      seen = current;
      return withCount(current, { vendorId: PF.vendorId, deviceId: '1592' }, 2, AT);
    });
    expect(seen).toBeNull();
    expect(replaced).toMatchObject({ count: 2, deviceId: '1592' });
  });

  it('a failed change leaves the file as it was, and the next change still runs', async () => {
    const { desired } = store();
    await desired.update(PF, () => state());
    await expect(desired.update(PF, () => state({ count: -3 }))).rejects.toThrow();
    expect((await desired.read())[PF.address]!.count).toBe(4);
    expect((await desired.update(PF, () => state({ count: 5 })))!.count).toBe(5);
  });
});

describe('withCount', () => {
  it('records the count and keeps the other settings, dropping those of VFs past the new count', () => {
    const current = state({ count: 8, stableMacs: true, driversAutoprobe: false, vfs: [{ index: 1, settings: { vlan: 5 }, driver: null }, { index: 6, settings: { trust: true }, driver: 'vfio-pci' }] });
    const later = new Date('2026-12-06T11:00:00.000Z');
    expect(withCount(current, PF, 4, later)).toEqual({ ...current, count: 4, setAt: later.toISOString(), vfs: [{ index: 1, settings: { vlan: 5 }, driver: null }] });
  });

  it('keeps when the same count was set', () => {
    const current = state();
    expect(withCount(current, PF, 4, new Date())).toBe(current);
  });
});

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Topology } from '@vfmap/model';
import { AuditLog } from '../audit/auditLog';
import { DesiredFile } from '../desired/desiredFile';
import { withCount } from '../desired/withCount';
import { tempDir } from '../testing/simAgent';
import { recordInterrupted } from './interrupted';
import { OperationJournal, type RunningOperation } from './operationJournal';

const PF = '0000:18:00.0';
const who = { principal: 'token:abcd1234', address: '127.0.0.1' };
const pfWith = (numVfs: number) => ({ address: PF, numVfs, driver: 'ice', vfs: [] }) as unknown as Topology['pfs'][number];
const topology = (numVfs: number) => ({ pfs: [pfWith(numVfs)] }) as unknown as Topology;

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function setup(alive: (pid: number) => boolean = () => false) {
  dir = tempDir('vfmap-interrupted-');
  const journal = new OperationJournal(join(dir, 'running'), alive);
  const audit = new AuditLog(join(dir, 'audit.jsonl'));
  const desired = new DesiredFile(join(dir, 'desired.json'));
  return { journal, audit, desired, running: join(dir, 'running') };
}

const mark = (id: string, pid = 999_999): RunningOperation => ({
  version: 1,
  id,
  pid,
  startedAt: '2026-01-01T00:00:00.000Z',
  host: 'h',
  who,
  operation: 'numvfs',
  target: PF,
  request: { count: 16 },
  before: { numVfs: 0, driver: 'ice', held: [] },
  desiredBefore: { count: 0, vendorId: '0x8086', deviceId: '0x159b', setAt: '2025-12-31T00:00:00.000Z', stableMacs: false, driversAutoprobe: null, vfs: [] },
});

const CARD = { address: PF, vendorId: '0x8086', deviceId: '0x159b' };
const setCount = (desired: DesiredFile, count: number) => desired.update(CARD, (current) => withCount(current, CARD, count, new Date()));

describe('recordInterrupted, at start', () => {
  it('audits an operation that left its mark as interrupted with the count the kernel shows now, and puts the desired count back', async () => {
    const { journal, audit, desired, running } = setup();
    await setCount(desired, 0);
    const before = (await desired.read())[PF];
    await journal.begin({ ...mark('op-1'), desiredBefore: before! });
    // The operation got as far as recording 16 before the agent died.
    await setCount(desired, 16);

    const bootFiles: Array<[string, number | null]> = [];
    const bootFile = async (pf: string, kept: { count: number } | null) => {
      bootFiles.push([pf, kept?.count ?? null]);
    };
    const written = await recordInterrupted({ journal, audit, desired, bootFile, topology: topology(16), now: () => new Date('2026-01-01T00:01:00Z') });
    expect(written).toHaveLength(1);
    // vfmap's .link file (kept in step before the write) goes back with the desired count.
    expect(bootFiles).toEqual([[PF, 0]]);
    const { entries } = await audit.recent(10);
    expect(entries).toMatchObject([{ id: 'op-1', result: 'interrupted', before: { numVfs: 0 }, after: { numVfs: 16 }, request: { count: 16 } }]);
    expect(entries[0]!.detail).toContain('sriov_numvfs is 16');
    expect((await desired.read())[PF]).toEqual(before);
    expect(readdirSync(running)).toEqual([]);
  });

  it('never audits one twice (a start that stopped half-way through this), and leaves the marks of a process still running', async () => {
    const { journal, audit, desired } = setup((pid) => pid === 4242);
    await journal.begin(mark('op-2'));
    await journal.begin(mark('op-live', 4242));
    // A first start appends the entry and stops before it removes the mark.
    const keepMarks = { leftBehind: () => journal.leftBehind(), end: async () => undefined };
    expect(await recordInterrupted({ journal: keepMarks, audit, desired, topology: topology(0), now: () => new Date() })).toHaveLength(1);
    await recordInterrupted({ journal, audit, desired, topology: topology(0), now: () => new Date() });
    const ids = (await audit.recent(10)).entries.map((e) => e.id);
    expect(ids.filter((id) => id === 'op-2')).toHaveLength(1);
    expect(ids).not.toContain('op-live');
    expect(existsSync(join(journal.dir, 'op-live.json'))).toBe(true);
    expect(existsSync(join(journal.dir, 'op-2.json'))).toBe(false);
  });

  it('keeps the desired count of an operation that ended and was audited, though the agent stopped before removing its mark', async () => {
    const { journal, audit, desired } = setup();
    await journal.begin(mark('op-3'));
    await setCount(desired, 16);
    await audit.append({ id: 'op-3', at: '2026-01-01T00:00:01.000Z', startedAt: '2026-01-01T00:00:00.000Z', host: 'h', who, operation: 'numvfs', target: PF, request: { count: 16 }, before: null, after: null, result: 'ok' });

    expect(await recordInterrupted({ journal, audit, desired, topology: topology(16), now: () => new Date() })).toEqual([]);
    expect((await desired.read())[PF]?.count).toBe(16);
    expect(existsSync(join(journal.dir, 'op-3.json'))).toBe(false);
  });
});

describe('recordInterrupted, for a VF driver or autoprobe change', () => {
  const VF = '0000:18:01.3';
  const withVf = {
    pfs: [{ address: PF, numVfs: 4, driver: 'ice', driversAutoprobe: false, vfs: [{ address: VF, driver: 'vfio-pci', driverOverride: 'vfio-pci', holder: null }] }],
  } as unknown as Topology;

  it('audits a driver change with the VF\'s driver as read at the next start', async () => {
    const { journal, audit, desired } = setup();
    await journal.begin({ ...mark('op-drv'), operation: 'vfdriver', target: VF, request: { driver: 'vfio-pci' }, before: { holder: null, driver: 'iavf', driverOverride: null } });
    await recordInterrupted({ journal, audit, desired, topology: withVf, now: () => new Date() });
    const [entry] = (await audit.recent(10)).entries;
    expect(entry).toMatchObject({ operation: 'vfdriver', result: 'interrupted', after: { driver: 'vfio-pci', driverOverride: 'vfio-pci' } });
    expect(entry!.detail).toContain('bound to vfio-pci, driver_override vfio-pci (vfio-pci asked for)');
  });

  it('audits an autoprobe change with the PF\'s autoprobe, not as a target that is gone', async () => {
    const { journal, audit, desired } = setup();
    await journal.begin({ ...mark('op-ap'), operation: 'autoprobe', request: { enabled: false } });
    await recordInterrupted({ journal, audit, desired, topology: withVf, now: () => new Date() });
    const [entry] = (await audit.recent(10)).entries;
    expect(entry).toMatchObject({ operation: 'autoprobe', after: { numVfs: 4, driversAutoprobe: false } });
    expect(entry!.detail).toContain('sriov_drivers_autoprobe is 0 (0 asked for)');
  });
});

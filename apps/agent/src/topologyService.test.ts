import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHypervisor } from '@vfmap/hypervisors';
import { sysfsPaths } from '@vfmap/sysfs';
import { extractFixture, fixture, removeFixture } from '../../../packages/sysfs/test/extractFixture';
import { inlineScanner, type Scanner } from './scanner';
import { TopologyService } from './topologyService';

let root: string;
beforeAll(() => {
  root = extractFixture(fixture('realkernel', 'vfs-enabled'));
});
afterAll(() => removeFixture(root));

/** The real inline scanner, counting what it is asked to do. */
function countingScanner(): Scanner & { scans: number; fingerprints: number } {
  const inner = inlineScanner();
  const counter = {
    scans: 0,
    fingerprints: 0,
    scan: (request: Parameters<Scanner['scan']>[0]) => {
      counter.scans++;
      return inner.scan(request);
    },
    fingerprint: (r: string) => {
      counter.fingerprints++;
      return inner.fingerprint(r);
    },
    close: () => inner.close(),
  };
  return counter;
}

const service = (scanner: Scanner) =>
  new TopologyService({ root, hostId: 'lab1', hypervisor: createHypervisor('none'), scanner, recheckMs: 60_000 });

describe('TopologyService', () => {
  it('serves the cached topology within recheckMs, and check() reads the fingerprint anyway', async () => {
    const scanner = countingScanner();
    const topology = service(scanner);
    const first = await topology.get();
    expect(await topology.get()).toBe(first);
    expect([scanner.scans, scanner.fingerprints]).toEqual([1, 1]);
    expect(await topology.check()).toBe(first);
    expect([scanner.scans, scanner.fingerprints]).toEqual([1, 2]);
  });

  it('latest() reads once, then answers from what was read without a fingerprint', async () => {
    const scanner = countingScanner();
    const topology = new TopologyService({ root, hostId: 'lab1', hypervisor: createHypervisor('none'), scanner, recheckMs: 0 });
    const first = await topology.latest();
    expect([scanner.scans, scanner.fingerprints]).toEqual([1, 1]);
    expect(await topology.latest()).toBe(first);
    expect([scanner.scans, scanner.fingerprints]).toEqual([1, 1]);
    // get() with recheckMs 0 still checks every time.
    await topology.get();
    expect(scanner.fingerprints).toBe(2);
  });

  it('check() sees a change the cache within recheckMs would hide', async () => {
    const topology = service(inlineScanner());
    const before = await topology.get();
    const numvfs = sysfsPaths(root).pciDeviceFile('0000:02:00.0', 'sriov_numvfs');
    writeFileSync(numvfs, '2\n');
    try {
      expect(await topology.get()).toBe(before);
      const after = await topology.check();
      expect(after.etag).not.toBe(before.etag);
      expect(after.topology.pfs.find((p) => p.address === '0000:02:00.0')!.numVfs).toBe(2);
    } finally {
      writeFileSync(numvfs, '3\n');
    }
  });

  it('scanNow() always scans, after the call, even with a scan already in flight', async () => {
    const scanner = countingScanner();
    const topology = service(scanner);
    const inFlight = topology.get();
    const fresh = topology.scanNow();
    await Promise.all([inFlight, fresh]);
    expect(scanner.scans).toBe(2);
    // Callers that asked while a scan ran share the one scan begun after them.
    await Promise.all([topology.scanNow(), topology.scanNow(), topology.scanNow()]);
    expect(scanner.scans).toBe(4);
  });

  it('does not keep a scan that began before invalidate()', async () => {
    const scanner = countingScanner();
    const topology = service(scanner);
    const stale = topology.get();
    topology.invalidate();
    await stale;
    await topology.get();
    expect(scanner.scans).toBe(2);
  });

  describe('under load: one caller checks, the others are answered from what the last check confirmed', () => {
    /** The real scanner, with each fingerprint read held until the test lets it go. */
    function heldScanner() {
      const inner = inlineScanner();
      const held: Array<() => void> = [];
      const scanner = {
        scans: 0,
        fingerprints: 0,
        scan: (request: Parameters<Scanner['scan']>[0]) => {
          scanner.scans++;
          return inner.scan(request);
        },
        fingerprint: async (r: string) => {
          scanner.fingerprints++;
          const value = await inner.fingerprint(r);
          await new Promise<void>((release) => held.push(release));
          return value;
        },
        close: () => inner.close(),
        /** Lets every fingerprint read waiting so far finish. */
        release: () => held.splice(0).forEach((go) => go()),
        waiting: () => held.length,
      };
      return scanner;
    }
    const settle = () => new Promise((r) => setTimeout(r, 20));

    async function started() {
      let clock = 0;
      const scanner = heldScanner();
      const topology = new TopologyService({ root, hostId: 'lab1', hypervisor: createHypervisor('none'), scanner, recheckMs: 1000, now: () => clock });
      const first = topology.get();
      await settle();
      scanner.release();
      return { topology, scanner, first: await first, advance: (ms: number) => (clock += ms) };
    }

    it('answers at once from the cache while another caller\'s check is under way, within recheckMs + grace', async () => {
      const { topology, scanner, first, advance } = await started();
      advance(1500);
      const checking = topology.get(); // this caller pays for the check
      await settle();
      expect(scanner.waiting()).toBe(1);
      // The others do not wait for it: the last check confirmed the topology 1.5 s ago (< 1 s + 1 s).
      expect(await topology.get()).toBe(first);
      expect(await topology.get()).toBe(first);
      scanner.release();
      expect(await checking).toBe(first);
      expect([scanner.scans, scanner.fingerprints]).toEqual([1, 2]);
    });

    it('waits for the check when the cache is older than recheckMs + grace', async () => {
      const { topology, scanner, advance } = await started();
      advance(2500);
      const checking = topology.get();
      await settle();
      let answered = false;
      const other = topology.get().then((s) => ((answered = true), s));
      await settle();
      expect(answered).toBe(false);
      scanner.release();
      expect(await other).toBe(await checking);
    });

    it('never answers with a topology the check found outdated: callers during the rescan wait for the new one', async () => {
      const { topology, scanner, first, advance } = await started();
      const numvfs = sysfsPaths(root).pciDeviceFile('0000:02:00.0', 'sriov_numvfs');
      writeFileSync(numvfs, '2\n');
      try {
        advance(1500);
        const checking = topology.get();
        await settle();
        scanner.release(); // the fingerprint differs: the rescan begins
        while (scanner.scans < 2) await new Promise((r) => setImmediate(r));
        const during = topology.get();
        const after = await checking;
        expect(after.etag).not.toBe(first.etag);
        expect(await during).toBe(after);
        expect(after.topology.pfs.find((p) => p.address === '0000:02:00.0')!.numVfs).toBe(2);
      } finally {
        writeFileSync(numvfs, '3\n');
      }
    });

    it('never answers from the cache after invalidate(), even with a check under way', async () => {
      const { topology, scanner, first, advance } = await started();
      advance(1500);
      const checking = topology.get();
      await settle();
      topology.invalidate();
      const after = topology.get();
      scanner.release();
      await checking;
      await settle();
      scanner.release();
      const snapshot = await after;
      expect(snapshot).not.toBe(first);
      expect(scanner.scans).toBe(2);
    });
  });
});

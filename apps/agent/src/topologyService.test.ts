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
});

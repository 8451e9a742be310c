import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFixture, fixture, removeFixture } from '../../../packages/sysfs/test/extractFixture';
import { SysfsError } from '@vfmap/sysfs';
import { inlineScanner, workerScanner } from './scanner';

// The worker runs as the agent ships it: scanWorker.ts bundled by esbuild, in a real worker thread.
let root: string;
let out: string;
let workerScript: string;
beforeAll(async () => {
  root = extractFixture(fixture('realkernel-igb', 'igb-vfs-enabled'));
  out = mkdtempSync(join(tmpdir(), 'vfmap-worker-'));
  workerScript = join(out, 'scanWorker.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'scanWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
});
afterAll(() => {
  removeFixture(root);
  rmSync(out, { recursive: true, force: true });
});

describe('the worker-thread scanner', () => {
  it('reads the same topology and fingerprint as a scan on the calling thread', async () => {
    const worker = workerScanner(workerScript);
    try {
      const [viaWorker, inline] = await Promise.all([worker.scan({ root, hostId: 'h' }), inlineScanner().scan({ root, hostId: 'h' })]);
      expect({ ...viaWorker, host: { ...viaWorker.host, collectedAt: '' } }).toEqual({ ...inline, host: { ...inline.host, collectedAt: '' } });
      expect(viaWorker.pfs.find((pf) => pf.address === '0000:04:00.0')?.vfs.map((vf) => vf.address)).toEqual(['0000:04:10.0', '0000:04:10.2', '0000:04:10.4', '0000:04:10.6']);
      expect(await worker.fingerprint(root)).toBe(await inlineScanner().fingerprint(root));
    } finally {
      await worker.close();
    }
  });

  it('answers concurrent calls each with its own result', async () => {
    const worker = workerScanner(workerScript);
    try {
      const results = await Promise.all([worker.fingerprint(root), worker.scan({ root }), worker.fingerprint(root)]);
      expect(typeof results[0]).toBe('string');
      expect(results[0]).toBe(results[2]);
      expect((results[1] as { pfs: unknown[] }).pfs).toHaveLength(4);
    } finally {
      await worker.close();
    }
  });

  it('rejects a scan that fails with the same SysfsError as a scan on the calling thread', async () => {
    // A root whose usr is a file: the stat of pci.ids below it fails with ENOTDIR.
    const broken = mkdtempSync(join(tmpdir(), 'vfmap-broken-'));
    writeFileSync(join(broken, 'usr'), '');
    const worker = workerScanner(workerScript);
    try {
      const [viaWorker, inline] = await Promise.all([worker.scan({ root: broken }).catch((e: unknown) => e), inlineScanner().scan({ root: broken }).catch((e: unknown) => e)]);
      expect(viaWorker).toBeInstanceOf(SysfsError);
      expect(inline).toBeInstanceOf(SysfsError);
      expect(viaWorker).toMatchObject({ code: 'ENOTDIR', path: expect.stringContaining(`${broken}/usr/share/`) });
      expect({ ...(viaWorker as SysfsError), message: (viaWorker as SysfsError).message }).toEqual({ ...(inline as SysfsError), message: (inline as SysfsError).message });
    } finally {
      await worker.close();
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('fails the calls of a worker that cannot start, and does not hang', async () => {
    const worker = workerScanner(join(out, 'missing.mjs'));
    await expect(worker.fingerprint(root)).rejects.toThrow();
    await worker.close();
  });
});

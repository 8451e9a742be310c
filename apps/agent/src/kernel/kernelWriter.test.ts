import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimKernel, generateHost, profiles } from '@vfmap/simhost';
import { SysfsError, sysfsPaths } from '@vfmap/sysfs';
import { tempDir } from '../testing/simAgent';
import { NoKernelError } from '../errors';
import { createKernel, kernelSpec } from './kernelSpec';
import { inlineKernelWriter, workerKernelWriter, type KernelWriter } from './kernelWriter';

// The worker runs as the agent ships it: kernelWorker.ts bundled by esbuild, in a real worker thread,
// writing to the simulated kernel of a generated qemu-q35 host (two NVMe PFs, 0 of 8 VFs each).
let root: string;
let out: string;
let workerScript: string;
let numvfs: (pf: string) => string;
beforeAll(async () => {
  root = tempDir('vfmap-kwriter-');
  generateHost(root, profiles['qemu-q35']!);
  numvfs = (pf) => sysfsPaths(root).pciDeviceFile(pf, 'sriov_numvfs');
  out = mkdtempSync(join(tmpdir(), 'vfmap-kworker-'));
  workerScript = join(out, 'kernelWorker.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<SysfsError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SysfsError);
  return err as SysfsError;
}

describe.each([
  ['in a worker thread', () => workerKernelWriter(workerScript, { kind: 'simulated', root })],
  ['on the calling thread', () => inlineKernelWriter(createSimKernel(root))],
])('the kernel writer %s', (_where, make) => {
  let writer: KernelWriter;
  beforeAll(() => {
    writer = make();
  });
  afterAll(() => writer.close());

  it('writes, and rejects a refused write with a SysfsError carrying the kernel\'s errno and the path', async () => {
    await writer.write(numvfs('0000:01:00.0'), '3');
    expect(readFileSync(numvfs('0000:01:00.0'), 'utf8')).toBe('3\n');
    const busy = await errorOf(writer.write(numvfs('0000:01:00.0'), '2'));
    expect([busy.code, busy.path]).toEqual(['EBUSY', numvfs('0000:01:00.0')]);
    expect((await errorOf(writer.write(numvfs('0000:01:00.0'), '9'))).code).toBe('ERANGE');
    await writer.write(numvfs('0000:01:00.0'), '0');
    // Not an SR-IOV device: the attribute does not exist, and sysfs refuses to create it.
    expect((await errorOf(writer.write(numvfs('0000:00:1f.0'), '1'))).code).toBe('EACCES');
  });

  it('answers concurrent writes each with its own result', async () => {
    const results = await Promise.allSettled([writer.write(numvfs('0000:02:00.0'), '2'), writer.write(numvfs('0000:02:00.0'), 'x'), writer.write(numvfs('0000:02:00.0'), '0')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as SysfsError).code))).toEqual(['ok', 'EINVAL', 'ok']);
  });
});

describe('the kernel writer in worker threads, with a write that blocks', () => {
  it("goes on writing other devices' attributes while one write(2) blocks, and keeps one device's writes in order", { timeout: 30_000 }, async () => {
    // A FIFO blocks the writer's open(2) until someone reads it, as a VF removal blocks write(2)
    // until a held VF's driver lets go. --kernel real writes files as write(2) does.
    const dir = mkdtempSync(join(tmpdir(), 'vfmap-kblock-'));
    const writer = workerKernelWriter(workerScript, { kind: 'real' });
    try {
      mkdirSync(join(dir, 'pf-a'));
      mkdirSync(join(dir, 'pf-b'));
      const fifo = join(dir, 'pf-a', 'sriov_numvfs');
      execFileSync('mkfifo', [fifo]);
      let blockedDone = false;
      const blocked = writer.write(fifo, '0').then(() => (blockedDone = true));
      const other = join(dir, 'pf-b', 'sriov_numvfs');
      writeFileSync(other, '0\n');
      // The other device's writes are answered while the first still blocks.
      const timeout = new Promise((_resolve, reject) => setTimeout(() => reject(new Error('the write to pf-b waited for the blocked write to pf-a')), 10_000));
      await Promise.race([Promise.all([writer.write(other, '4'), writer.write(other, '5')]), timeout]);
      expect(readFileSync(other, 'utf8')).toBe('5');
      expect(blockedDone).toBe(false);
      // Let the blocked write through: read the FIFO.
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      await blocked;
      closeSync(reader);
    } finally {
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the kernels --kernel names', () => {
  it('are this machine\'s for real, the simulated one of the root for simulated, and none that writes nothing', () => {
    expect(kernelSpec('real', root)).toEqual({ kind: 'real' });
    expect(kernelSpec('simulated', root)).toEqual({ kind: 'simulated', root });
    expect(kernelSpec('none', root)).toEqual({ kind: 'none' });
    const before = readFileSync(numvfs('0000:01:00.0'), 'utf8');
    expect(() => createKernel({ kind: 'none' }).writeAttribute(numvfs('0000:01:00.0'), '1')).toThrow(NoKernelError);
    expect(readFileSync(numvfs('0000:01:00.0'), 'utf8')).toBe(before);
  });

  it('refuses a write through the worker thread with --kernel none with the NoKernelError the calling thread gets', async () => {
    const writer = workerKernelWriter(workerScript, { kind: 'none' });
    try {
      const err = await writer.write(numvfs('0000:01:00.0'), '1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NoKernelError);
      expect((err as Error).message).toContain('--kernel none');
    } finally {
      await writer.close();
    }
  });

  it('fails the writes of a worker that cannot start, and does not hang', async () => {
    const writer = workerKernelWriter(join(out, 'missing.mjs'), { kind: 'real' });
    await expect(writer.write(numvfs('0000:01:00.0'), '1')).rejects.toThrow();
    await writer.close();
  });
});

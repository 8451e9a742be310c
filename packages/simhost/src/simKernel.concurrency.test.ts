import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vfAddressOf } from '@vfmap/model';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

/**
 * The simulated kernel under concurrent use, from real threads: a reader scanning while VFs come
 * and go, and two writers racing on one PF. Worker threads cannot load TypeScript, so simhost is
 * bundled for them first.
 */
describe('the simulated kernel under concurrency', () => {
  const tmp = tempRoot();
  const root = join(tmp.dir, 'host');
  const bundle = join(tmp.dir, 'simhost.mjs');
  const devices = join(root, 'sys/bus/pci/devices');
  const PF = '0000:18:00.1';
  const numvfs = join(devices, PF, 'sriov_numvfs');
  const virtfns = () => readdirSync(join(devices, PF)).filter((n) => /^virtfn\d+$/.test(n)).length;

  beforeAll(() => {
    generateHost(root, profiles.demo!);
    buildSync({ entryPoints: [join(import.meta.dirname, 'index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    // VF 0 of this PF is a stopped VM's: free to go.
    createSimKernel(root).writeAttribute(numvfs, '0');
  });
  afterAll(() => tmp.remove());

  it('shows a reader the new VFs only once all are whole, and takes their links before their directories', async () => {
    const count = 32;
    const vfs = Array.from({ length: count }, (_, n) => vfAddressOf(PF, 135, 1, n)!);
    const stop = new SharedArrayBuffer(4);
    const reader = new Worker(
      `
      const { existsSync, lstatSync } = require('node:fs');
      const { join } = require('node:path');
      const { workerData, parentPort } = require('node:worker_threads');
      const { devices, bridge, vfs, stop } = workerData;
      const flag = new Int32Array(stop);
      const linked = (a) => { try { lstatSync(join(devices, a)); return true; } catch { return false; } };
      const whole = (a) => ['vendor', 'device', 'class', 'uevent', 'resource', 'config', 'driver_override', 'physfn', 'power/control'].every((f) => existsSync(join(bridge, a, f)));
      const seen = { looks: 0, sawVfs: 0, linkedBeforeAllWhole: [], linkedWithoutDir: [] };
      while (Atomics.load(flag, 0) === 0) {
        seen.looks++;
        const visible = vfs.filter(linked);
        if (visible.length > 0) seen.sawVfs++;
        // Creating: no VF is linked before every VF directory is complete.
        if (visible.length > 0 && visible.length < vfs.length && !vfs.every(whole)) seen.linkedBeforeAllWhole.push(visible.length);
        // Removing: a directory never goes while its link is still there.
        for (const a of visible) if (!existsSync(join(bridge, a))) seen.linkedWithoutDir.push(a);
      }
      parentPort.postMessage(seen);
      `,
      { eval: true, workerData: { devices, bridge: join(root, 'sys/devices/pci0000:17/0000:17:00.0'), vfs, stop } },
    );
    await new Promise((r) => setTimeout(r, 30));
    const kernel = createSimKernel(root, { enableDelayMs: 5, disableDelayMs: 5, enableFixedMs: 20, disableFixedMs: 20 });
    kernel.writeAttribute(numvfs, String(count));
    // Synchronous: the VFs are all there when the call returns.
    expect(readFileSync(numvfs, 'utf8')).toBe(`${count}\n`);
    expect(virtfns()).toBe(count);
    kernel.writeAttribute(numvfs, '0');
    expect(virtfns()).toBe(0);
    const log = new Promise<{ looks: number; sawVfs: number; linkedBeforeAllWhole: number[]; linkedWithoutDir: string[] }>((resolve) => reader.once('message', resolve));
    Atomics.store(new Int32Array(stop), 0, 1);
    const seen = await log;
    await reader.terminate();
    expect(seen.looks).toBeGreaterThan(0);
    expect(seen.linkedBeforeAllWhole).toEqual([]);
    expect(seen.linkedWithoutDir).toEqual([]);
  });

  it('serialises two writers racing on one PF as device_lock does: one enables, the other gets EBUSY', async () => {
    const go = new SharedArrayBuffer(4);
    const writer = (count: string) =>
      new Promise<string>((resolve, reject) => {
        const w = new Worker(
          `
          const { workerData, parentPort } = require('node:worker_threads');
          import(workerData.bundle).then(({ createSimKernel }) => {
            const kernel = createSimKernel(workerData.root, { enableDelayMs: 3 });
            Atomics.wait(new Int32Array(workerData.go), 0, 0);
            try {
              kernel.writeAttribute(workerData.path, workerData.count);
              parentPort.postMessage('OK');
            } catch (e) {
              parentPort.postMessage(e.code || String(e));
            }
          });
          `,
          { eval: true, workerData: { bundle, root, go, path: numvfs, count } },
        );
        w.once('message', (m) => {
          void w.terminate();
          resolve(String(m));
        });
        w.once('error', reject);
      });
    const a = writer('12');
    const b = writer('5');
    await new Promise((r) => setTimeout(r, 300));
    Atomics.store(new Int32Array(go), 0, 1);
    Atomics.notify(new Int32Array(go), 0);
    const results = await Promise.all([a, b]);
    expect([...results].sort()).toEqual(['EBUSY', 'OK']);
    const winner = results[0] === 'OK' ? 12 : 5;
    expect(readFileSync(numvfs, 'utf8')).toBe(`${winner}\n`);
    expect(virtfns()).toBe(winner);
    expect(readdirSync(devices).filter((d) => d.startsWith('0000:18:1')).length).toBe(winner);
    expect(existsSync(join(root, 'var/lib/vfmap-sim/kernel.lock'))).toBe(false);
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel, settleSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

/**
 * The simulated kernel must be as consistent as the real one when the process writing
 * sriov_numvfs is killed: the real kernel finishes the write (a SIGKILL does not stop a write(2)
 * already in the kernel); the simulated one runs in the writer's process, so the next access
 * finishes it. Real processes, really killed, at seeded moments of 0→16 and 16→0.
 */
describe('the simulated kernel after its writer is SIGKILLed mid-write', () => {
  const tmp = tempRoot();
  const root = join(tmp.dir, 'host');
  const bundle = join(tmp.dir, 'simhost.mjs');
  const devices = join(root, 'sys/bus/pci/devices');
  const PF = '0000:18:00.1';
  const numvfsPath = join(devices, PF, 'sriov_numvfs');
  const numvfs = () => Number(readFileSync(numvfsPath, 'utf8'));
  const virtfns = () => readdirSync(join(devices, PF)).filter((n) => /^virtfn\d+$/.test(n));

  beforeAll(() => {
    generateHost(root, profiles.demo!);
    buildSync({ entryPoints: [join(import.meta.dirname, 'index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    createSimKernel(root).writeAttribute(numvfsPath, '0');
  });
  afterAll(() => tmp.remove());

  /** A process that writes `value` at a slow pace; killed `killAfterMs` after it starts the write. Resolves when it is gone. */
  function writeAndKill(value: string, killAfterMs: number): Promise<number | null> {
    const code = `
      const { createSimKernel } = await import(${JSON.stringify(bundle)});
      const sim = createSimKernel(${JSON.stringify(root)}, { enableFixedMs: 20, enableDelayMs: 6, disableDelayMs: 4, disableFixedMs: 40 });
      process.stdout.write('writing\\n', () => {
        const start = performance.now();
        sim.writeAttribute(${JSON.stringify(numvfsPath)}, ${JSON.stringify(value)});
        process.stdout.write('took ' + Math.round(performance.now() - start) + '\\n');
      });`;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      let timer: NodeJS.Timeout | undefined;
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => {
        if (stdout === '') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        stdout += c.toString();
      });
      child.on('exit', (status, signal) => {
        clearTimeout(timer);
        const took = /took (\d+)/.exec(stdout);
        if (signal === 'SIGKILL' || status === 0) resolve(took ? Number(took[1]) : null);
        else reject(new Error(`the writer failed (${status}): ${stderr}`));
      });
    });
  }

  function expectConsistent(from: number, to: number): number {
    const count = numvfs();
    expect([from, to]).toContain(count);
    const links = virtfns();
    expect(links).toHaveLength(count);
    for (const link of links) {
      const vf = readlinkSync(join(devices, PF, link)).replace('../', '');
      expect(existsSync(join(devices, vf, 'physfn')), `${vf} is whole`).toBe(true);
    }
    expect(existsSync(join(root, 'var/lib/vfmap-sim/numvfs-intent.json'))).toBe(false);
    // No IOMMU group keeps a VF that is not there.
    const groups = join(root, 'sys/kernel/iommu_groups');
    for (const group of readdirSync(groups)) {
      for (const dev of readdirSync(join(groups, group, 'devices'))) expect(existsSync(join(groups, group, 'devices', dev)), `group ${group} device ${dev}`).toBe(true);
    }
    return count;
  }

  it('finishes or never began each of 16 changes killed at seeded moments, and the next write works', async () => {
    // How long each change takes here, unkilled: the kills are spread over it.
    const enableMs = (await writeAndKill('16', 60_000))!;
    const disableMs = (await writeAndKill('0', 60_000))!;
    const seed = Number(process.env.VFMAP_CRASH_SEED ?? Date.now() % 100_000);
    let state = seed;
    const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const killed: string[] = [];
    try {
      for (let i = 0; i < 16; i++) {
        const from = numvfs();
        const to = from === 0 ? 16 : 0;
        const took = await writeAndKill(String(to), Math.floor(random() * (to === 0 ? disableMs : enableMs) * 1.1));
        settleSimKernel(root);
        const count = expectConsistent(from, to);
        if (took === null) killed.push(`${from}→${to}: ${count}`);
        // The next write on the PF answers as on any consistent PF: no EEXIST, no ENOENT.
        const sim = createSimKernel(root);
        sim.writeAttribute(numvfsPath, String(count === 0 ? 16 : 0));
        sim.writeAttribute(numvfsPath, String(count));
        expectConsistent(count, count);
      }
    } catch (err) {
      throw new Error(`seed ${seed} (VFMAP_CRASH_SEED=${seed} replays it): ${(err as Error).message}`);
    }
    // Most kills landed inside the write (the rest just after it).
    expect(killed.length, killed.join(', ')).toBeGreaterThan(8);
  }, 60_000);

  it('enables over the VFs a writer killed before intents were kept left behind (sriov_numvfs 0, 16 virtfn links): no EEXIST', () => {
    const sim = createSimKernel(root);
    sim.writeAttribute(numvfsPath, '0');
    sim.writeAttribute(numvfsPath, '16');
    // What the issue found: the links and VFs there, the count never written.
    writeFileSync(numvfsPath, '0\n');
    expect(virtfns()).toHaveLength(16);
    sim.writeAttribute(numvfsPath, '16');
    expectConsistent(16, 16);
  });

  it('takes over a lock its holder was killed with, whether it names its owner or was left empty', () => {
    const lock = join(root, 'var/lib/vfmap-sim/kernel.lock');
    const sim = createSimKernel(root);
    // A writer killed between taking the lock and naming itself (the old way of taking it).
    mkdirSync(lock);
    const started = Date.now();
    sim.writeAttribute(numvfsPath, '0');
    // A writer killed while it held the lock: its pid is gone.
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), '2147483646.0');
    sim.writeAttribute(numvfsPath, '4');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(lock)).toBe(false);
    expectConsistent(4, 4);
  });
});

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { HostChecks } from '@vfmap/model';
import { generateHost, profiles } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { itNeeds, root as asRoot } from '../../../../test/needs';
import { tempDir } from '../testing/simAgent';
import { uidOf } from './splitAgent';

/**
 * The checks that read config spaces, split: the kernel gives a PCI function's `config` past its
 * first 64 bytes to root only, so the HTTP side (nobody) cannot see an SR-IOV capability there;
 * the root helper reads it (sriovCapabilities) and the checks judge from its answer. The shipped
 * bundle, started as root with --user nobody, over the sriov-blocked host, whose `config` files
 * are made root's alone (0600), as the kernel's extended config space is.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const NOBODY = 65534;
const X520 = ['0000:19:00.0', '0000:19:00.1'];
let bundle: string;
beforeAll(() => {
  if (process.getuid?.() !== 0) return;
  bundle = mkdtempSync(join(tmpdir(), 'vfmap-split-checks-bundle-'));
  chmodSync(bundle, 0o755);
  execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
}, 60_000);
afterAll(() => bundle && rmSync(bundle, { recursive: true, force: true }));

async function start(args: string[]): Promise<{ proc: ChildProcess; httpPid: number; url: string; hostId: string }> {
  const proc = spawn(process.execPath, [join(bundle, 'vfmap.js'), ...args, '--listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/listening on/.test(out) || !/page asks for it/.test(out)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the split agent did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const listening = /for host (\S+) listening on (\S+)/.exec(out)!;
  return { proc, httpPid: Number(/the HTTP side pid (\d+)/.exec(out)![1]), hostId: listening[1]!, url: listening[2]! };
}

describe('the SR-IOV capability checks of the split agent (root helper + HTTP side as nobody)', () => {
  itNeeds(
    [asRoot],
    'finds the X520 whose SR-IOV is switched off in firmware from the config spaces the root helper read',
    async () => {
      const tree = tempDir('vfmap-split-checks-tree-');
      const stateDir = mkdtempSync(join(tmpdir(), 'vfmap-split-checks-state-'));
      generateHost(tree, profiles['sriov-blocked']!);
      chmodSync(tree, 0o755);
      const paths = sysfsPaths(tree);
      for (const address of readdirSync(join(tree, 'sys/bus/pci/devices'))) {
        const config = paths.pciDeviceFile(address, 'config');
        // The generated tree keeps the 64-byte header of a function without SR-IOV; the kernel shows
        // root its whole PCIe config space, here with no extended capability.
        const bytes = readFileSync(config);
        if (bytes.length < 4096) writeFileSync(config, Buffer.concat([bytes, Buffer.alloc(4096 - bytes.length)]));
        chmodSync(config, 0o600);
      }
      const s = await start(['agent', '--root', tree, '--kernel', 'simulated', '--hypervisor', 'simulated', '--user', 'nobody', '--state-dir', stateDir]);
      try {
        expect(await uidOf(s.httpPid)).toBe(NOBODY);
        // Root's alone: the HTTP side could not have read it.
        expect(statSync(paths.pciDeviceFile(X520[0]!, 'config'))).toMatchObject({ uid: 0, mode: expect.any(Number) });
        expect(statSync(paths.pciDeviceFile(X520[0]!, 'config')).mode & 0o777).toBe(0o600);

        const res = await fetch(new URL(`/api/v1/hosts/${s.hostId}/checks`, s.url));
        expect(res.status).toBe(200);
        const checks = HostChecks.parse(await res.json()).checks.filter((c) => c.id === 'sriov-switched-off');
        // Every config space was read (by the helper): nothing is left unknown.
        expect(checks.filter((c) => c.status === 'unknown')).toEqual([]);
        expect(checks.map((c) => [c.target, c.status])).toEqual(X520.map((a) => [a, 'fail']));
        expect(checks[0]!.title).toMatch(/TotalVFs is 0: switched off in firmware/);
        expect(checks[0]!.evidence[0]).toEqual({ path: `/sys/bus/pci/devices/${X520[0]}/config`, value: 'SR-IOV capability at 0x100: InitialVFs 0, TotalVFs 0' });
      } finally {
        s.proc.kill('SIGKILL');
        rmSync(tree, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

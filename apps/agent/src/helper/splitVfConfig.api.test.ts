import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Topology, VfConfigResult, VfSettingRefusedProblem } from '@vfmap/model';
import { generateHost, profiles, simPaths } from '@vfmap/simhost';
import { itNeeds, root as asRoot } from '../../../../test/needs';
import { DEMO, tempDir } from '../testing/simAgent';
import { uidOf } from './splitAgent';

// PUT …/vfs/:vf/config on the split agent as shipped (the esbuild bundle, started as root with
// --user nobody): the HTTP side parses and checks, the root helper runs `ip link set` (here the
// simulated kernel's), and the driver's refusal comes back through the socket as the same problem.
const REPO = resolve(import.meta.dirname, '../../../..');
let bundle: string;
beforeAll(() => {
  if (process.getuid?.() !== 0) return;
  bundle = mkdtempSync(join(tmpdir(), 'vfmap-split-vfconfig-bundle-'));
  chmodSync(bundle, 0o755);
  execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
}, 60_000);
afterAll(() => bundle && rmSync(bundle, { recursive: true, force: true }));

describe('VF settings through the split agent (root helper + HTTP side as nobody)', () => {
  itNeeds(
    [asRoot],
    'sets a VF\'s settings through the root helper, and answers a driver\'s refusal with what was applied before it',
    async () => {
      const tree = tempDir('vfmap-split-vfconfig-tree-');
      const stateDir = mkdtempSync(join(tmpdir(), 'vfmap-split-vfconfig-state-'));
      generateHost(tree, profiles.demo!);
      chmodSync(tree, 0o755);
      const proc = spawn(process.execPath, [join(bundle, 'vfmap.js'), 'agent', '--root', tree, '--kernel', 'simulated', '--hypervisor', 'simulated', '--user', 'nobody', '--state-dir', stateDir, '--listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      try {
        const deadline = Date.now() + 30_000;
        while (!/listening on/.test(out) || !/page asks for it/.test(out)) {
          if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the split agent did not start:\n${out}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const httpPid = Number(/the HTTP side pid (\d+)/.exec(out)![1]);
        const [, hostId, url] = /for host (\S+) listening on (\S+)/.exec(out)!;
        const token = /the page asks for it\): (\S+)/.exec(out)![1]!;
        expect(await uidOf(httpPid)).toBe(65534);
        const put = (vf: string, body: unknown) =>
          fetch(new URL(`/api/v1/hosts/${hostId}/vfs/${vf}/config`, url), { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const vfsOf = (pf: string) => JSON.parse(readFileSync(join(simPaths(tree).simState, 'vf-settings', `${pf}.json`), 'utf8')) as Array<Record<string, unknown>>;

        // The ConnectX-6 port (mlx5, 4 VFs), read as nobody.
        const topology = Topology.parse(await (await fetch(new URL(`/api/v1/hosts/${hostId}/topology`, url))).json());
        const [vf0, vf1] = topology.pfs.find((p) => p.address === DEMO.cx6p1)!.vfs.map((v) => v.address) as [string, string];
        const ok = await put(vf0, { mac: '02:00:00:00:af:41', vlan: 30, qos: 1, trust: true, linkState: 'enable' });
        expect(ok.status).toBe(200);
        expect(VfConfigResult.parse(await ok.json())).toMatchObject({ applied: ['mac', 'vlan', 'trust', 'linkState'], vf: { config: { mac: '02:00:00:00:af:41', vlan: 30, qos: 1, trust: true, linkState: 'enable' } } });
        expect(vfsOf(DEMO.cx6p1)[0]).toMatchObject({ mac: '02:00:00:00:af:41', vlan: 30, trust: true });

        // mlx5 refuses 802.1ad: the MAC set before it stays applied, and the problem says so.
        const refused = await put(vf1, { mac: '02:00:00:00:af:42', vlan: 40, vlanProtocol: '802.1ad', trust: true });
        expect(refused.status).toBe(422);
        expect(VfSettingRefusedProblem.parse(await refused.json())).toMatchObject({ driver: 'mlx5_core', setting: 'vlan', errno: 'EPROTONOSUPPORT', applied: ['mac'], vfIndex: 1 });
        expect(vfsOf(DEMO.cx6p1)[1]).toMatchObject({ mac: '02:00:00:00:af:42', vlan: 0, trust: false });
      } finally {
        proc.kill('SIGKILL');
        rmSync(tree, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

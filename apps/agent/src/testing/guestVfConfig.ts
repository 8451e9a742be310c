/**
 * Runs INSIDE the realkernel guest (see operations/vfConfig.guest.test.ts), as root on a real Linux
 * kernel with igb SR-IOV NICs: enables 3 VFs on the PF, starts the agent from source (`--kernel
 * real`, one process, writable) and changes the VFs' settings through its API — PUT
 * …/vfs/:vf/config — then reads them back with `ip -j -d link show`, independently of the agent.
 * Also runs one refused `ip link set` by hand, to record the real exit status and stderr the
 * simulated `ip` copies. Prints one JSON object on stdout.
 *
 * With a bundle folder (apps/agent/build.mjs), it then starts the bundled agent split as well (the
 * HTTP side as nobody, `ip link set` run by the root helper) and sets VF 2 through it.
 *
 *   npx tsx apps/agent/src/testing/guestVfConfig.ts <pf address> [<bundle dir>]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uidOf } from '../helper/splitAgent';
import { sysfsPaths } from '@vfmap/sysfs';
import { parseAgentConfig } from '../config';
import { startAgent } from '../startAgent';

const [pf, bundle] = process.argv.slice(2);
if (!pf) throw new Error('usage: guestVfConfig.ts <pf address>');
const paths = sysfsPaths('/');
const ifname = readdirSync(paths.pciDeviceFile(pf, 'net'))[0]!;
const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
const independent = () => (JSON.parse(ip('-j', '-d', 'link', 'show', 'dev', ifname)) as [{ vfinfo_list: unknown[] }])[0].vfinfo_list;

// Autoprobe 0: no igbvf pushes its random MAC to the PF, so what shows is what vfmap set.
writeFileSync(paths.pciDeviceFile(pf, 'sriov_drivers_autoprobe'), '0');
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '3');
// igb resets its link when VFs are enabled and refuses a TX rate (EINVAL) while it is down.
const carrier = () => {
  try {
    return readFileSync(`/sys/class/net/${ifname}/carrier`, 'utf8').trim() === '1';
  } catch {
    return false;
  }
};
for (const until = Date.now() + 15_000; !carrier() && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));
if (!carrier()) throw new Error(`${ifname} has no carrier 15 s after enabling its VFs`);

const TOKEN = 'guest-token-0123456789abcdef';
const agent = await startAgent(
  parseAgentConfig(['--root', '/', '--kernel', 'real', '--listen', '127.0.0.1:0', '--hypervisor', 'none', '--single-process', '--log-level', 'silent', '--state-dir', '/tmp/vfmap-guest-state'], { VFMAP_TOKEN: TOKEN }),
);
const api = (path: string) => new URL(`/api/v1/hosts/${agent.hostId}${path}`, agent.url);
const put = async (vf: string, body: unknown) => {
  const res = await fetch(api(`/vfs/${vf}/config`), { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as unknown };
};
const topology = async () => (await fetch(api('/topology'))).json() as Promise<{ pfs: Array<{ address: string; vfs: Array<{ address: string; config: unknown }> }> }>;
const vfs = (await topology()).pfs.find((p) => p.address === pf)!.vfs.map((v) => v.address);

const set = await put(vfs[0]!, { mac: '02:00:00:00:01:00', vlan: 100, qos: 3, trust: true, spoofChk: false, maxTxRateMbps: 100 });
const ipAfterSet = independent();
const refusedState = await put(vfs[1]!, { mac: '02:00:00:00:01:01', trust: true, linkState: 'disable' });
const refusedMinRate = await put(vfs[2]!, { minTxRateMbps: 10 });
const refusedQinq = await put(vfs[2]!, { vlan: 5, vlanProtocol: '802.1ad' });
const badInput = await put(vfs[2]!, { mac: '01:00:5e:00:00:01' });
const ipAfterAll = independent();
const after = await topology();
// The real ip's own answer to a refused setting, which the simulated ip copies.
const byHand = spawnSync('ip', ['link', 'set', 'dev', ifname, 'vf', '2', 'state', 'enable'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });

await agent.close();

/** The same API of the bundled agent, split: the root helper runs `ip link set`, the HTTP side (nobody) reads `ip -j`. */
async function throughSplit(dir: string): Promise<unknown> {
  chmodSync(dir, 0o755);
  const stateDir = mkdtempSync('/tmp/vfmap-split-state-');
  const split = spawn(process.execPath, [join(dir, 'vfmap.js'), 'agent', '--listen', '127.0.0.1:7399', '--state-dir', stateDir, '--hypervisor', 'none', '--user', 'nobody', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  split.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  try {
    const deadline = Date.now() + 180_000;
    while (!/listening on/.test(stdout) || !/page asks for it/.test(stdout)) {
      if (Date.now() > deadline || split.exitCode !== null) throw new Error(`the split agent did not start:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pids = /the root helper is pid (\d+), the HTTP side pid (\d+)/.exec(stdout)!;
    const hostId = /for host (\S+) listening on/.exec(stdout)![1]!;
    const token = /the page asks for it\): (\S+)/.exec(stdout)![1]!;
    const putSplit = async (vf: string, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:7399/api/v1/hosts/${hostId}/vfs/${vf}/config`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const helperUid = await uidOf(Number(pids[1]));
    const httpUid = await uidOf(Number(pids[2]));
    const splitSet = await putSplit(vfs[2]!, { mac: '02:00:00:00:01:02', vlan: 42, trust: true });
    const splitRefused = await putSplit(vfs[2]!, { spoofChk: false, linkState: 'enable' });
    return { helperUid, httpUid, set: splitSet, refused: splitRefused, ip: independent() };
  } finally {
    split.kill('SIGTERM');
    await new Promise((resolve) => split.on('exit', resolve));
  }
}
const split = bundle ? await throughSplit(bundle).catch((err: unknown) => ({ error: String(err) })) : null;
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');

process.stdout.write(
  `${JSON.stringify({ ifname, vfs, set, ipAfterSet, refusedState, refusedMinRate, refusedQinq, badInput, ipAfterAll, after, byHand: { status: byHand.status, stderr: byHand.stderr }, split })}\n`,
);

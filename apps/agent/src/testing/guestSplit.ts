/**
 * Runs INSIDE the realkernel guest (see helper/split.guest.test.ts), as root on a real Linux
 * kernel: starts the bundled agent split (the HTTP side as nobody), changes a PF's VF count
 * through it, and prints what it saw as one JSON object.
 *
 *   npx tsx apps/agent/src/testing/guestSplit.ts <bundle dir> <pf address>
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import { uidOf } from '../helper/splitAgent';

const [bundle, pf] = process.argv.slice(2);
if (!bundle || !pf) throw new Error('usage: guestSplit.ts <bundle dir> <pf address>');
chmodSync(bundle, 0o755);
const stateDir = mkdtempSync('/tmp/vfmap-split-state-');
const paths = sysfsPaths('/');
const sysfs = {
  numVfs: (address: string) => Number(readFileSync(paths.pciDeviceFile(address, 'sriov_numvfs'), 'utf8')),
  virtfns: (address: string) => readdirSync(paths.pciDevice(address)).filter((n) => /^virtfn\d+$/.test(n)).length,
};
const agent = spawn(process.execPath, [join(bundle, 'vfmap.js'), 'agent', '--listen', '127.0.0.1:7398', '--state-dir', stateDir, '--hypervisor', 'none', '--user', 'nobody', '--log-level', 'warn'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
agent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
const deadline = Date.now() + 180_000;
while (!/listening on/.test(stdout) || !/page asks for it/.test(stdout)) {
  if (Date.now() > deadline || agent.exitCode !== null) throw new Error(`the split agent did not start:\n${stdout}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const pids = /the root helper is pid (\d+), the HTTP side pid (\d+)/.exec(stdout)!;
const hostId = /for host (\S+) listening on/.exec(stdout)![1]!;
const token = /the page asks for it\): (\S+)/.exec(stdout)![1]!;
const put = async (count: number) => {
  const res = await fetch(`http://127.0.0.1:7398/api/v1/hosts/${hostId}/pfs/${pf}/numvfs`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ count }) });
  return { status: res.status, body: (await res.json()) as unknown };
};
const helperUid = await uidOf(Number(pids[1]));
const httpUid = await uidOf(Number(pids[2]));
const enable2 = await put(2);
const afterEnable2 = { numVfs: sysfs.numVfs(pf), virtfns: sysfs.virtfns(pf) };
const tooMany = await put(99);
const disable = await put(0);
const afterDisable = { numVfs: sysfs.numVfs(pf), virtfns: sysfs.virtfns(pf) };
agent.kill('SIGTERM');
const agentExit = await new Promise((resolve) => agent.on('exit', (code) => resolve(code)));
process.stdout.write(`${JSON.stringify({ helperUid, httpUid, enable2, afterEnable2, tooMany, disable, afterDisable, stateDirUid: statSync(stateDir).uid, agentExit })}\n`);

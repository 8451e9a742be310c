/**
 * Runs INSIDE the realkernel guest (see runningHolders.guest.test.ts), as root on a real Linux
 * kernel with igb SR-IOV NICs: enables a VF on the PF, binds it to vfio-pci by hand
 * (driver_override, unbind, drivers_probe), opens its `/dev/vfio/<group>` and hands that fd to a
 * process whose command line is a QEMU's (`qemu-system-x86_64 … -name guest-holder`: bash under
 * that argv[0], waiting on a sleep), then asks the agent who holds the VF, what drift it finds there and what its checks
 * say: first the one process from source (`--kernel real`, as root), then the bundled agent split
 * (its HTTP side as nobody, the root helper reading /proc and the config spaces). What the kernel
 * shows is read here too, apart from the agent. Prints one JSON object on stdout.
 *
 *   npx tsx apps/agent/src/testing/guestRunningHolders.ts <bundle dir> <pf address>
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import { parseAgentConfig } from '../config';
import { startAgent } from '../startAgent';

const [bundle, pf] = process.argv.slice(2);
if (!bundle || !pf) throw new Error('usage: guestRunningHolders.ts <bundle dir> <pf address>');
chmodSync(bundle, 0o755);
const paths = sysfsPaths('/');
const TOKEN = 'guest-token-0123456789abcdef';
const HOLDER_NAME = 'guest-holder';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const driverOf = (address: string) => {
  try {
    return basename(readlinkSync(paths.pciDeviceFile(address, 'driver')));
  } catch {
    return null;
  }
};

// vfio-pci: loaded by the harness's initramfs; modprobe only if not.
if (!existsSync(paths.pciDriver('vfio-pci'))) {
  try {
    execFileSync('modprobe', ['vfio-pci'], { stdio: 'ignore' });
  } catch {
    // said below: vfioLoaded false
  }
}
const vfioLoaded = existsSync(paths.pciDriver('vfio-pci'));

// One VF, on igbvf first (autoprobe on), then on vfio-pci by hand, as an administrator does.
writeFileSync(paths.pciDeviceFile(pf, 'sriov_drivers_autoprobe'), '1');
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '1');
const vf = basename(readlinkSync(paths.pciDeviceFile(pf, 'virtfn0')));
for (const until = Date.now() + 20_000; driverOf(vf) === null && Date.now() < until; ) await sleep(100);
const driverBefore = driverOf(vf);
writeFileSync(paths.pciDeviceFile(vf, 'driver_override'), 'vfio-pci');
if (driverBefore !== null) writeFileSync(paths.pciDeviceFile(vf, 'driver/unbind'), vf);
writeFileSync('/sys/bus/pci/drivers_probe', vf);
const driverAfter = driverOf(vf);
const group = basename(readlinkSync(paths.pciDeviceFile(vf, 'iommu_group')));

// The holder: the group's fd as its fd 3, and a QEMU's command line (no -device: found by its fd alone).
const groupFd = openSync(`/dev/vfio/${group}`, 'r+');
const holder = spawn('/bin/bash', ['-c', 'sleep 300; :', '-name', HOLDER_NAME], { argv0: 'qemu-system-x86_64', stdio: ['ignore', 'ignore', 'ignore', groupFd], detached: true });
closeSync(groupFd);
const holderPid = holder.pid!;
let holderFd3: string | null = null;
for (const until = Date.now() + 10_000; holderFd3 === null && Date.now() < until; ) {
  try {
    holderFd3 = readlinkSync(`/proc/${holderPid}/fd/3`);
  } catch {
    await sleep(50);
  }
}
const holderCmdline = readFileSync(`/proc/${holderPid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');

interface Seen {
  holder: unknown;
  drift: unknown[];
  checks: unknown;
  checksStatus: number;
}
const seenThrough = async (base: string, hostId: string, token: string): Promise<Seen> => {
  const api = (path: string) => new URL(`/api/v1/hosts/${hostId}${path}`, base);
  const auth = { headers: { Authorization: `Bearer ${token}` } };
  const topology = (await (await fetch(api('/topology'), auth)).json()) as { pfs: Array<{ vfs: Array<{ address: string; holder: unknown }> }>; drift: Array<{ address: string }> };
  const checks = await fetch(api('/checks'), auth);
  return {
    holder: topology.pfs.flatMap((p) => p.vfs).find((v) => v.address === vf)?.holder ?? 'no such VF',
    drift: topology.drift.filter((d) => d.address === vf),
    checksStatus: checks.status,
    checks: await checks.json(),
  };
};

// The one process, as root.
const oneStateDir = mkdtempSync('/tmp/vfmap-guest-holders-');
const agent = await startAgent(
  parseAgentConfig(['--root', '/', '--kernel', 'real', '--listen', '127.0.0.1:0', '--hypervisor', 'none', '--single-process', '--log-level', 'silent', '--state-dir', oneStateDir], { VFMAP_TOKEN: TOKEN }),
);
const single = await seenThrough(agent.url, agent.hostId, TOKEN);
await agent.close();

// Split: the bundled agent as root, its HTTP side as nobody.
const splitStateDir = mkdtempSync('/tmp/vfmap-guest-holders-split-');
const split = spawn(process.execPath, [join(bundle, 'vfmap.js'), 'agent', '--listen', '127.0.0.1:7398', '--state-dir', splitStateDir, '--hypervisor', 'none', '--user', 'nobody', '--log-level', 'warn'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
split.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
const started = await waitForSplit(split);
const splitSeen = started ? await seenThrough('http://127.0.0.1:7398', started.hostId, started.token) : null;
split.kill('SIGTERM');
const splitExit = await new Promise((resolve) => (split.exitCode !== null ? resolve(split.exitCode) : split.on('exit', (code) => resolve(code))));

// The holder ends (bash and its sleep, one process group); the VF goes back before the VFs go.
process.kill(-holderPid, 'SIGKILL');
await new Promise((resolve) => (holder.exitCode !== null || holder.signalCode !== null ? resolve(null) : holder.on('exit', resolve)));
writeFileSync(paths.pciDeviceFile(vf, 'driver_override'), '\n');
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');

process.stdout.write(
  `${JSON.stringify({ vfioLoaded, vf, driverBefore, driverAfter, group: Number(group), holderPid, holderFd3, holderCmdline, single, split: splitSeen, splitStdout: started ? null : stdout, splitExit })}\n`,
);

async function waitForSplit(child: ChildProcess): Promise<{ hostId: string; token: string } | null> {
  for (const deadline = Date.now() + 180_000; !/listening on/.test(stdout) || !/page asks for it/.test(stdout); ) {
    if (Date.now() > deadline || child.exitCode !== null) return null;
    await sleep(100);
  }
  return { hostId: /for host (\S+) listening on/.exec(stdout)![1]!, token: /the page asks for it\): (\S+)/.exec(stdout)![1]! };
}

/**
 * Runs INSIDE the realkernel guest (see persistence/linkPersist.guest.test.ts), as root on a real
 * Linux kernel with igb: starts the agent on the real kernel, sets a count through its API, keeps
 * VF settings in its desired state, has it write the .link file (POST …/persist), then acts out a
 * reboot — `echo 0 > sriov_numvfs`, the PF's driver unbound and bound again, the .link file applied
 * as udev does at the add event (`udevadm test-builtin net_setup_link`) — and reads back what the
 * kernel and the agent say. Prints one JSON object; each step's output is recorded for the test.
 *
 *   npx tsx apps/agent/src/testing/guestPersistApi.ts <pf address> [udev .deb]
 *
 * On a host without udev (no udevadm, no 99-default.link), the second argument names Debian's
 * udev package: it is unpacked in the guest, its .link files and rules go to /run (which udev reads
 * as it reads /usr/lib), and its udevadm is used.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import { parseAgentConfig } from '../config';
import { startAgent } from '../startAgent';

const [pf, udevDeb] = process.argv.slice(2);
if (!pf) throw new Error('usage: guestPersistApi.ts <pf address> [udev .deb]');
const paths = sysfsPaths('/');
const numVfs = () => Number(readFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), 'utf8'));
const netName = () => readdirSync(paths.pciDeviceFile(pf, 'net')).sort()[0]!;
const run = (file: string, args: string[]) => {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};
const props = (out: string, keys: string[]) => Object.fromEntries(keys.map((k) => [k, new RegExp(`^${k}=(.*)$`, 'm').exec(out)?.[1] ?? null]));
const KEYS = ['ID_NET_LINK_FILE', 'ID_NET_NAME'];
const result: Record<string, unknown> = {};

let udevadm = 'udevadm';
if (spawnSync('udevadm', ['--version']).error && udevDeb) {
  execFileSync('dpkg-deb', ['-x', udevDeb, '/tmp/udev']);
  for (const [from, to] of [['/tmp/udev/lib/systemd/network', '/run/systemd/network'], ['/tmp/udev/lib/udev/rules.d', '/run/udev/rules.d']] as const) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) copyFileSync(join(from, name), join(to, name));
  }
  udevadm = '/tmp/udev/bin/udevadm';
  result.udev = { from: udevDeb, links: readdirSync('/run/systemd/network') };
}

// /etc is the read-only shared root here: a tmpfs over /etc/systemd/network (empty on the host
// that shares its root) stands for the host's own, where the agent writes its file.
execFileSync('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', '/etc/systemd/network']);

const stateDir = mkdtempSync('/tmp/vfmap-persist-');
const token = 'guest-persist-token-0123456789abcdef';
const config = parseAgentConfig(
  ['--root', '/', '--kernel', 'real', '--listen', '127.0.0.1:0', '--hypervisor', 'none', '--log-level', 'warn', '--state-dir', stateDir, '--single-process', '--no-scan-worker', '--no-write-worker'],
  { VFMAP_TOKEN: token },
);
const agent = await startAgent(config);
const api = (path: string) => new URL(`/api/v1/hosts/${encodeURIComponent(agent.hostId)}${path}`, agent.url).toString();
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(api(path), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}
const persistenceOf = async () => ((await call('GET', '/persistence')).body as { pfs?: Array<{ pf: string }> }).pfs?.find((p) => p.pf === pf) ?? null;

try {
  const nameBefore = netName();
  result.testBefore = props(run(udevadm, ['test', '--action=add', `/sys/class/net/${nameBefore}`]).out, KEYS);
  result.setCount = await call('PUT', `/pfs/${pf}/numvfs`, { count: 3 });

  // The VF settings another branch's PUT …/config records; here written into the desired state as it would.
  const desiredPath = join(stateDir, 'desired.json');
  const file = JSON.parse(readFileSync(desiredPath, 'utf8')) as { pfs: Record<string, { vfs: unknown[] }> };
  file.pfs[pf]!.vfs = [
    { index: 0, settings: { mac: '02:00:00:00:0b:00', vlan: 100, qos: 2, spoofChk: false, trust: true }, driver: null },
    { index: 2, settings: { mac: '02:00:00:00:0b:02', vlan: 5, spoofChk: true, trust: false }, driver: null },
  ];
  writeFileSync(desiredPath, JSON.stringify(file));

  result.beforePersist = await persistenceOf();
  result.persist = await call('POST', `/pfs/${pf}/persist`);
  result.afterPersist = await persistenceOf();
  result.linkFiles = readdirSync('/etc/systemd/network');
  const written = (result.afterPersist as { keptBy: { path: string } } | null)?.keptBy.path ?? null;
  result.content = written ? readFileSync(written, 'utf8') : null;

  // The reboot: the kernel forgets the VFs, the PF's driver probes it again, udev applies the .link file.
  writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');
  result.afterZero = numVfs();
  const driver = basename(readlinkSync(paths.pciDeviceFile(pf, 'driver')));
  writeFileSync(join(paths.pciDrivers, driver, 'unbind'), pf);
  writeFileSync(join(paths.pciDrivers, driver, 'bind'), pf);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const nameAfter = netName();
  result.names = { before: nameBefore, after: nameAfter, driver };
  const applied = run(udevadm, ['test-builtin', 'net_setup_link', `/sys/class/net/${nameAfter}`]);
  result.applied = { status: applied.status, props: props(applied.out, KEYS), out: applied.out.slice(-3000) };
  result.countAfter = numVfs();
  const ip = run('ip', ['-j', '-d', 'link', 'show', 'dev', nameAfter]);
  try {
    result.vfinfo = (JSON.parse(ip.out) as Array<{ vfinfo_list?: unknown[] }>)[0]?.vfinfo_list ?? null;
  } catch {
    result.vfinfo = ip.out;
  }
  result.testAfter = props(run(udevadm, ['test', '--action=add', `/sys/class/net/${nameAfter}`]).out, KEYS);
  // The agent re-reads the host when its change check sees it: desired and live should match again.
  let after = await persistenceOf();
  for (let i = 0; i < 40 && (after as { matches?: boolean } | null)?.matches !== true; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    after = await persistenceOf();
  }
  result.afterReboot = after;
} catch (err) {
  result.error = String((err as Error).stack ?? err);
} finally {
  await agent.close();
  try {
    writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');
  } catch {
    // the PF may be gone
  }
}
console.log(JSON.stringify(result));

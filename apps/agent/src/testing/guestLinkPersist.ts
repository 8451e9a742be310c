/**
 * Runs INSIDE the realkernel guest (see persistence/linkPersist.guest.test.ts), as root on a real
 * Linux kernel with igb: plans how to keep a PF's VFs with the real host's .link files, writes the
 * planned file under /run/systemd/network (the shared root is read-only), acts out a reboot
 * (`echo 0 > sriov_numvfs`), applies the .link file as udev does at the add event
 * (`udevadm test-builtin net_setup_link`), and prints what it saw as one JSON object. It never
 * throws after the plan: each step's output is recorded for the test to judge.
 *
 *   npx tsx apps/agent/src/testing/guestLinkPersist.ts <pf address>
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import { readLinkFiles } from '../persistence/linkFiles';
import { planLinkPersistence, type DesiredSriov } from '../persistence/linkPlan';
import { readNetDevFacts } from '../persistence/netDevFacts';
import { readSystemdVersion } from '../persistence/systemdVersion';

const [pf] = process.argv.slice(2);
if (!pf) throw new Error('usage: guestLinkPersist.ts <pf address>');
const paths = sysfsPaths('/');
const numVfs = () => Number(readFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), 'utf8'));
const setNumVfs = (n: number) => writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), String(n));
const netNames = () => readdirSync(paths.pciDeviceFile(pf, 'net')).sort();
const run = (file: string, args: string[]) => {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};
/** The properties udev would set, from `udevadm test-builtin`/`udevadm test` output (KEY=value lines). */
const props = (out: string, keys: string[]) => Object.fromEntries(keys.map((k) => [k, new RegExp(`^${k}=(.*)$`, 'm').exec(out)?.[1] ?? null]));
const KEYS = ['ID_NET_LINK_FILE', 'ID_NET_NAME', 'ID_NET_DRIVER'];

const desired: DesiredSriov = {
  count: 3,
  vfs: [
    { vf: 0, mac: '02:00:00:00:0a:00', vlan: 100, qos: 2, spoofChk: false, trust: true },
    { vf: 1, mac: '02:00:00:00:0a:01', linkState: 'auto' },
    { vf: 2, vlan: 5, spoofChk: true, trust: false },
  ],
};

const netdev = await readNetDevFacts('/', pf);
if (!netdev) throw new Error(`${pf} has no netdev`);
const systemdVersion = await readSystemdVersion();
const plan = planLinkPersistence({ pf: { address: pf, netdev }, desired, linkFiles: await readLinkFiles('/'), systemdVersion, driverInInitramfs: null });
const result: Record<string, unknown> = { netdev, systemdVersion, plan, namesBefore: netNames() };

const builtin = () => run('udevadm', ['test-builtin', 'net_setup_link', `/sys/class/net/${netdev.name}`]);
const fullTest = () => run('udevadm', ['test', '--action=add', `/sys/class/net/${netdev.name}`]);
const before = builtin();
result.before = { status: before.status, props: props(before.out, KEYS) };
const testBefore = fullTest();
result.testBefore = { status: testBefore.status, props: props(testBefore.out, KEYS) };

if (plan.kind === 'link-file' || plan.kind === 'link-drop-in') {
  // The live change vfmap would make, then the reboot: the kernel forgets the VFs.
  setNumVfs(3);
  result.liveCount = numVfs();
  setNumVfs(0);
  result.afterZero = numVfs();
  // /etc is the read-only shared root here; /run/systemd/network is read the same way (and sorts by name the same).
  const target = plan.kind === 'link-file' ? `/run/systemd/network/${basename(plan.write.path)}` : plan.write.path.replace('/etc/', '/run/');
  mkdirSync(target.slice(0, target.lastIndexOf('/')), { recursive: true });
  writeFileSync(target, plan.write.content);
  result.written = target;
  const after = builtin();
  result.after = { status: after.status, props: props(after.out, KEYS), out: after.out.slice(-4000) };
  result.countAfter = numVfs();
  // igb sets a VF's MAC in the PF; vfinfo_list is the PF's view of every VF.
  const ip = run('ip', ['-j', '-d', 'link', 'show', 'dev', netdev.name]);
  try {
    const link = (JSON.parse(ip.out) as Array<{ vfinfo_list?: unknown[] }>)[0];
    result.vfinfo = link?.vfinfo_list ?? null;
  } catch {
    result.vfinfo = ip.out;
  }
  const testAfter = fullTest();
  result.testAfter = { status: testAfter.status, props: props(testAfter.out, KEYS) };
  result.namesAfter = netNames();
  setNumVfs(0);
}
console.log(JSON.stringify(result));

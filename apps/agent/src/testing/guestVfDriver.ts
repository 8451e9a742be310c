/**
 * Runs INSIDE the realkernel guest (see operations/vfDriver.guest.test.ts), as root on a real
 * Linux kernel with igb SR-IOV NICs: makes sure vfio-pci is there (the initramfs loads it; else
 * `modprobe vfio-pci`, which needs /lib/modules of the guest's kernel), enables 2 VFs on the first
 * PF (igbvf binds them, each with a netdev), starts the agent from source (`--kernel real`, one
 * process, writable) and, through its API, binds VF 0 to vfio-pci and gives it back; then switches
 * the second PF's autoprobe off through the API and enables a VF there. After each step the VF is
 * read from sysfs directly (its driver link, driver_override, net/, vfio-dev/), independently of
 * the agent. Prints one JSON object on stdout.
 *
 *   npx tsx apps/agent/src/testing/guestVfDriver.ts <pf address> <second pf address>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sysfsPaths } from '@vfmap/sysfs';
import { parseAgentConfig } from '../config';
import { startAgent } from '../startAgent';

const [pf, pf2] = process.argv.slice(2);
if (!pf || !pf2) throw new Error('usage: guestVfDriver.ts <pf address> <second pf address>');
const paths = sysfsPaths('/');
const TOKEN = 'guest-token-0123456789abcdef';

// vfio-pci: loaded by the harness's initramfs (build-cache.sh MODULES); modprobe only if not.
const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
const vfio = { release, modulesDir: existsSync(`/lib/modules/${release}`), loadedAtStart: existsSync(paths.pciDriver('vfio-pci')), modprobe: null as string | null, loaded: false };
if (!vfio.loadedAtStart) {
  try {
    execFileSync('modprobe', ['vfio-pci'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    vfio.modprobe = 'ok';
  } catch (err) {
    vfio.modprobe = `failed: ${String((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}`;
  }
}
vfio.loaded = existsSync(paths.pciDriver('vfio-pci'));

/** A function as sysfs shows it, read apart from the agent. */
const sysfs = (address: string) => {
  const entries = (name: string) => (existsSync(paths.pciDeviceFile(address, name)) ? readdirSync(paths.pciDeviceFile(address, name)) : []);
  let driver: string | null = null;
  try {
    driver = basename(readlinkSync(paths.pciDeviceFile(address, 'driver')));
  } catch {
    // unbound
  }
  return { driver, driverOverride: readFileSync(paths.pciDeviceFile(address, 'driver_override'), 'utf8').trim(), netdevs: entries('net'), vfioDev: entries('vfio-dev') };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

writeFileSync(paths.pciDeviceFile(pf, 'sriov_drivers_autoprobe'), '1');
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '2');
const vf = basename(readlinkSync(paths.pciDeviceFile(pf, 'virtfn0')));
for (const until = Date.now() + 20_000; sysfs(vf).netdevs.length === 0 && Date.now() < until; ) await sleep(100);
const initial = sysfs(vf);

const stateDir = mkdtempSync('/tmp/vfmap-guest-vfdriver-');
const agent = await startAgent(
  parseAgentConfig(['--root', '/', '--kernel', 'real', '--listen', '127.0.0.1:0', '--hypervisor', 'none', '--single-process', '--log-level', 'silent', '--state-dir', stateDir], { VFMAP_TOKEN: TOKEN }),
);
const api = (path: string) => new URL(`/api/v1/hosts/${agent.hostId}${path}`, agent.url);
const put = async (path: string, body: unknown) => {
  const res = await fetch(api(path), { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as unknown };
};
const topologyVf = async (address: string) => {
  const t = (await (await fetch(api('/topology'))).json()) as { pfs: Array<{ vfs: Array<{ address: string; driver: string | null; netdevs: Array<{ name: string }> }> }> };
  return t.pfs.flatMap((p) => p.vfs).find((v) => v.address === address) ?? null;
};

const bind = await put(`/vfs/${vf}/driver`, { driver: 'vfio-pci' });
const afterBind = sysfs(vf);
const devVfio = existsSync('/dev/vfio') ? readdirSync('/dev/vfio') : [];
const topologyAfterBind = await topologyVf(vf);
const bindAgain = await put(`/vfs/${vf}/driver`, { driver: 'vfio-pci' });
const release_ = await put(`/vfs/${vf}/driver`, { driver: null });
const afterRelease = sysfs(vf);
const topologyAfterRelease = await topologyVf(vf);
const onPf = await put(`/vfs/${pf}/driver`, { driver: 'vfio-pci' });

// Autoprobe off through the API: the VF created next stays off igbvf, and vfio-pci still binds it.
const autoprobeOff = await put(`/pfs/${pf2}/autoprobe`, { enabled: false });
const autoprobeFile = readFileSync(paths.pciDeviceFile(pf2, 'sriov_drivers_autoprobe'), 'utf8').trim();
const numvfs2 = await put(`/pfs/${pf2}/numvfs`, { count: 1 });
const vf2 = basename(readlinkSync(paths.pciDeviceFile(pf2, 'virtfn0')));
const vf2Created = sysfs(vf2);
const bindVf2 = await put(`/vfs/${vf2}/driver`, { driver: 'vfio-pci' });
const vf2Bound = sysfs(vf2);

await agent.close();
// Give every VF back before removing them (vfio-pci lets go of an unused device at once anyway).
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');
writeFileSync(paths.pciDeviceFile(pf2, 'sriov_numvfs'), '0');

process.stdout.write(
  `${JSON.stringify({ vfio, vf, initial, bind, afterBind, devVfio, topologyAfterBind, bindAgain, release: release_, afterRelease, topologyAfterRelease, onPf, autoprobeOff, autoprobeFile, numvfs2, vf2, vf2Created, bindVf2, vf2Bound })}\n`,
);

/**
 * Runs INSIDE the realkernel guest (see kernel/vfSettings.guest.test.ts), as root on a real Linux
 * kernel with igb SR-IOV NICs: enables 3 VFs on the PF, configures them with `ip link set … vf …`
 * as an administrator would, starts the agent from source (`--kernel real`, read-only, one
 * process) and reads its topology over HTTP; then changes a VF behind the agent's back and waits
 * for its change check to see it. Every step's `ip -j -d link show` is kept, read independently of
 * the agent. Prints one JSON object on stdout.
 *
 *   npx tsx apps/agent/src/testing/guestVfSettings.ts <pf address>
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { sysfsPaths } from '@vfmap/sysfs';
import { parseAgentConfig } from '../config';
import { startAgent } from '../startAgent';

const [pf] = process.argv.slice(2);
if (!pf) throw new Error('usage: guestVfSettings.ts <pf address>');
const paths = sysfsPaths('/');
const ifname = readdirSync(paths.pciDeviceFile(pf, 'net'))[0]!;
const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
const independent = () => JSON.parse(ip('-j', '-d', 'link', 'show', 'dev', ifname)) as unknown;

// Autoprobe 0: the VFs stay unbound, so no igbvf pushes its random MAC to the PF (probe-igb.md
// saw VF 0 get one) and the VFs nobody configured show exactly igb's defaults.
writeFileSync(paths.pciDeviceFile(pf, 'sriov_drivers_autoprobe'), '0');
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '3');
// Enabling VFs resets igb's link (probe-igb.md: down right after the write, up ~340 ms later), and
// igb refuses a TX rate (EINVAL) while the link is down: wait for the carrier, as an admin would see it.
const carrier = () => {
  try {
    // A link that is down fails the read with EINVAL.
    return readFileSync(`/sys/class/net/${ifname}/carrier`, 'utf8').trim() === '1';
  } catch {
    return false;
  }
};
for (const until = Date.now() + 15_000; !carrier() && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));
if (!carrier()) throw new Error(`${ifname} has no carrier 15 s after enabling its VFs`);
ip('link', 'set', ifname, 'vf', '0', 'mac', '02:00:00:00:01:00', 'vlan', '100', 'qos', '3', 'trust', 'on');
ip('link', 'set', ifname, 'vf', '1', 'spoofchk', 'off', 'max_tx_rate', '100');
const ipBefore = independent();

const agent = await startAgent(parseAgentConfig(['--root', '/', '--kernel', 'real', '--listen', '127.0.0.1:0', '--hypervisor', 'none', '--read-only', '--single-process', '--log-level', 'silent'], {}));
const topology = async () => (await fetch(new URL(`/api/v1/hosts/${agent.hostId}/topology`, agent.url))).json() as Promise<{ pfs: Array<{ address: string; vfs: Array<{ config: { trust: boolean | null; vlan: number } | null }> }> }>;
const before = await topology();

// Behind the agent's back, as from a shell: sysfs does not change, only the driver's state.
ip('link', 'set', ifname, 'vf', '2', 'vlan', '7', 'trust', 'on');
const ipAfter = independent();
const changedAt = Date.now();
let after = await topology();
const vf2 = () => after.pfs.find((p) => p.address === pf)?.vfs[2]?.config;
while (!(vf2()?.trust === true && vf2()?.vlan === 7) && Date.now() - changedAt < 20_000) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  after = await topology();
}
const seenAfterMs = Date.now() - changedAt;

const started = performance.now();
independent();
const ipMs = Math.round(performance.now() - started);
await agent.close();
writeFileSync(paths.pciDeviceFile(pf, 'sriov_numvfs'), '0');

process.stdout.write(`${JSON.stringify({ ifname, ipBefore, before, ipAfter, after, seenAfterMs, ipMs })}\n`);

/**
 * Runs INSIDE the realkernel guest (see realkernel.guest.test.ts): reads the guest's real /sys,
 * enables VFs with `echo N > sriov_numvfs` as an operator would, waits until the host stops
 * changing, takes eth0's link down (so that reading its speed fails with EINVAL, as the kernel
 * does for a down link), reads again, and prints both readings as one JSON object on stdout.
 *
 *   npx tsx packages/sysfs/test/guestScan.ts <pf address> <count>
 */
import { execFileSync } from 'node:child_process';
import { readFingerprint, readTopology, sysfsPaths } from '../src/index';

const [pf, count] = process.argv.slice(2);
if (!pf || !/^\d+$/.test(count ?? '')) throw new Error('usage: guestScan.ts <pf address> <count>');
const paths = sysfsPaths('/');
const sleep = (seconds: number) => execFileSync('sleep', [String(seconds)]);

const before = readTopology({ root: '/' });
const fingerprintBefore = readFingerprint('/');

execFileSync('sh', ['-c', `echo ${count} > ${paths.pciDeviceFile(pf, 'sriov_numvfs')}`]);

// VF drivers probe after the write returns (QEMU's NVMe VFs bind to nvme and are dropped again
// about 0.5 s later, as they start offline): wait until the fingerprint holds still for a second.
let settled = readFingerprint('/');
for (let i = 0; i < 30; i++) {
  sleep(1);
  const now = readFingerprint('/');
  if (now === settled && now !== fingerprintBefore) break;
  settled = now;
}
execFileSync('ip', ['link', 'set', 'eth0', 'down']);

const after = readTopology({ root: '/' });
const fingerprintAfter = readFingerprint('/');
const fingerprintAgain = readFingerprint('/');
process.stdout.write(JSON.stringify({ before, after, fingerprintBefore, fingerprintAfter, fingerprintAgain }));

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { DriftFinding, Holder, HostChecks } from '@vfmap/model';
import { RUN_IN_GUEST } from '../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../test/needs';

/**
 * Who holds a VF, on a real kernel: test/realkernel/run-in-guest.sh --igb 2 boots Debian's 6.1
 * kernel in QEMU with two igb (82576) SR-IOV NICs and runs testing/guestRunningHolders.ts in it
 * (one boot): an igbvf VF bound to vfio-pci by hand, its /dev/vfio/<group> held open by a process
 * whose command line is a QEMU's, and the agent asked through its API who holds the VF, what drift
 * it finds there and what its checks say (IOMMU on; the SR-IOV capability in the PF's config
 * space) — the one process as root, then split (the HTTP side as nobody, the root helper reading
 * the other process's fds and the config spaces). Needs root and the harness.
 */
const REPO = resolve(import.meta.dirname, '../../..');
// The second igb PF: the other guest tests use the first. igb puts VF 0 at devfn 0x80 (probe-igb.md).
const PF = '0000:05:00.0';
const VF = '0000:05:10.0';
const bundle = mkdtempSync(join(tmpdir(), 'vfmap-guest-holders-'));
afterAll(() => rmSync(bundle, { recursive: true, force: true }));

interface Seen {
  holder: unknown;
  drift: unknown[];
  checks: unknown;
  checksStatus: number;
}

describe('running holders on a real kernel (QEMU guest, igb)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'finds the process that holds a vfio-pci VF\'s group open as its holder (drift: held, not configured), the IOMMU on and the PF\'s SR-IOV capability, single-process and split',
    () => {
      execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', '--share', bundle, `npx tsx apps/agent/src/testing/guestRunningHolders.ts ${bundle} ${PF}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        vfioLoaded: boolean;
        vf: string;
        driverBefore: string | null;
        driverAfter: string | null;
        group: number;
        holderPid: number;
        holderFd3: string | null;
        holderCmdline: string[];
        single: Seen;
        split: Seen | null;
        splitStdout: string | null;
        splitExit: number | null;
      };
      expect(r.vfioLoaded).toBe(true);
      expect(r.vf).toBe(VF);
      expect(r.driverBefore).toBe('igbvf');
      expect(r.driverAfter).toBe('vfio-pci');
      // The kernel's own view of the holder, apart from the agent.
      expect(r.holderFd3).toBe(`/dev/vfio/${r.group}`);
      expect(r.holderCmdline).toEqual(['qemu-system-x86_64', '-c', 'sleep 300; :', '-name', 'guest-holder']);

      const expected = { vmId: 'guest-holder', vmName: 'guest-holder', via: `qemu pid ${r.holderPid}`, pending: false, pendingChange: null, source: 'running' };
      const iommuOf = (seen: Seen) => HostChecks.parse(seen.checks).checks.find((c) => c.id === 'iommu');
      const sriovUnknown = (seen: Seen) => HostChecks.parse(seen.checks).checks.filter((c) => c.id === 'sriov-switched-off' && c.status === 'unknown');
      // QEMU's igb says TotalVFs 8 in its SR-IOV capability (at 0x160); the guest's igb caps sriov_totalvfs at 7.
      const totalVfsOf = (seen: Seen) => HostChecks.parse(seen.checks).checks.find((c) => c.id === 'totalvfs-limited' && c.target === PF);
      const capability = { path: `/sys/bus/pci/devices/${PF}/config`, value: 'SR-IOV capability at 0x160: InitialVFs 8, TotalVFs 8' };
      const drift = (seen: Seen) => seen.drift.map((d) => DriftFinding.parse(d)).map((d) => [d.kind, d.address, d.vmId]);

      // One process, as root: it reads /proc/<pid>/fd itself.
      expect(Holder.parse(r.single.holder)).toEqual(expected);
      expect(r.single.checksStatus).toBe(200);
      expect(iommuOf(r.single)).toMatchObject({ status: 'ok', title: expect.stringMatching(/^IOMMU on: \d+ groups$/) });
      expect(iommuOf(r.single)?.evidence).toContainEqual({ path: '/sys/class/iommu', value: 'dmar0' });
      expect(sriovUnknown(r.single)).toEqual([]);
      expect(totalVfsOf(r.single)?.evidence).toContainEqual(capability);
      // Held by a process no VM config names: drift.
      expect(drift(r.single)).toEqual([['held-not-configured', VF, 'guest-holder']]);

      // Split: the HTTP side (nobody) can read neither another user's fds nor the extended config
      // space; the root helper reads both for it (runningHolders, sriovCapabilities).
      expect(r.split, r.splitStdout ?? '').not.toBeNull();
      expect(Holder.parse(r.split!.holder)).toEqual(expected);
      expect(r.split!.checksStatus).toBe(200);
      expect(iommuOf(r.split!)).toMatchObject({ status: 'ok' });
      expect(sriovUnknown(r.split!)).toEqual([]);
      expect(totalVfsOf(r.split!)?.evidence).toContainEqual(capability);
      expect(drift(r.split!)).toEqual([['held-not-configured', VF, 'guest-holder']]);
      expect(r.splitExit).toBe(0);
    },
    600_000,
  );
});

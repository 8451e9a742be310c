import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { AuditPage, NumVfsResult, Problem, Topology, VfmapEvent } from '@vfmap/model';
import { RUN_IN_GUEST } from '../../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../../test/needs';

/**
 * The write path against a real Linux kernel: test/realkernel/run-in-guest.sh --igb 2 boots
 * Debian's 6.1 kernel in QEMU with two igb (82576) SR-IOV NICs and runs testing/guestOperations.ts
 * inside it, in one boot of about 100 s under TCG. The agent runs as shipped: this test bundles it
 * (build.mjs --outdir) into a folder the guest gets read-write. Needs root and the harness.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const PF = '0000:04:00.0';
const bundle = mkdtempSync(join(tmpdir(), 'vfmap-guest-bundle-'));
afterAll(() => rmSync(bundle, { recursive: true, force: true }));

interface Call {
  status: number;
  ms: number;
  body: unknown;
  wwwAuthenticate: string | null;
}

describe('the write path on a real kernel (QEMU guest, igb)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'changes VF counts through 0, refuses what it must, audits, announces, and re-applies at boot',
    () => {
      execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', '--share', bundle, `npx tsx apps/agent/src/testing/guestOperations.ts ${bundle} ${PF}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out) as Record<string, unknown> & Record<'enable3' | 'to2' | 'tooMany' | 'noToken' | 'noDriver', Call>;

      const before = Topology.parse(r.topologyBefore);
      expect(before.pfs.find((p) => p.address === PF)).toMatchObject({ driver: 'igb', numVfs: 0, totalVfs: 7, offset: 128, stride: 2 });
      expect(r.tokenPrinted).toBe(true);
      expect(r.tokenFileMode).toBe(0o600);

      // 0 → 3: one write; the answer is the PF as sysfs shows it after (igbvf has bound by then).
      expect(r.enable3.status).toBe(200);
      const enabled = NumVfsResult.parse(r.enable3.body);
      expect(enabled).toMatchObject({ previousCount: 0, count: 3, changed: true, destroyed: [] });
      expect(enabled.pf.vfs.map((vf) => vf.address)).toEqual(['0000:04:10.0', '0000:04:10.2', '0000:04:10.4']);
      expect(r.afterEnable3).toEqual({ numVfs: 3, virtfns: 3 });

      // 3 → 2: the real kernel refuses N→M with EBUSY, so the agent writes 0, then 2.
      expect(r.to2.status).toBe(200);
      const changed = NumVfsResult.parse(r.to2.body);
      expect(changed).toMatchObject({ previousCount: 3, count: 2, destroyed: enabled.created });
      expect(changed.message).toContain('wrote 0, then 2');
      expect(changed.pf.vfs.map((vf) => vf.address)).toEqual(['0000:04:10.0', '0000:04:10.2']);
      expect(r.afterTo2).toEqual({ numVfs: 2, virtfns: 2 });
      // The kernel's "0" blocks for a second (sriov_disable); the write runs in the agent's worker
      // thread, so the agent answered meanwhile.
      expect(r.healthStatus).toBe(200);

      expect(r.tooMany.status).toBe(422);
      expect(Problem.parse(r.tooMany.body)).toMatchObject({ reason: 'count-out-of-range', totalVfs: 7 });
      expect(r.noToken.status).toBe(401);
      expect(r.noToken.wwwAuthenticate).toBe('Bearer realm="vfmap"');
      expect(r.noDriver.status).toBe(409);
      expect(Problem.parse(r.noDriver.body)).toMatchObject({ type: 'urn:vfmap:problem:kernel', errno: 'ENOENT', pf: r.otherPf });

      const events = (r.events as unknown[]).map((e) => VfmapEvent.parse(e));
      expect(events.slice(0, 3).map((e) => e.type)).toEqual(['operation.started', 'topology.changed', 'operation.finished']);
      // `echo 0 > sriov_numvfs` behind the agent's back is seen by the periodic check.
      expect(events.at(-1)).toMatchObject({ type: 'topology.changed', reason: 'external' });

      const audit = AuditPage.parse(r.audit);
      expect(audit.entries.map((e) => [e.target, e.result, (e.before as { numVfs?: number } | null)?.numVfs ?? null, (e.after as { numVfs?: number } | null)?.numVfs ?? null])).toEqual([
        [r.otherPf, 'failed', 0, 0],
        // The write sent without the token: failed authentications are audited too.
        [PF, 'unauthorized', null, null],
        [PF, 'refused', null, null],
        [PF, 'ok', 3, 2],
        [PF, 'ok', 0, 3],
      ]);
      expect(audit.entries[0]!.who.address).toBe('127.0.0.1');
      expect(r.desired).toMatchObject({ version: 2, pfs: { [PF]: { count: 2, vendorId: '8086', deviceId: '10c9' } } });
      expect(r.agentExit).toBe(0);

      // After the change behind its back the PF had 0 VFs, as after a reboot; apply-desired sets 2 again.
      expect(r.beforeApply).toBe(0);
      expect(r.applyOutput).toBe(`${PF}: 2 VFs (was 0)\n`);
      expect(r.afterApply).toEqual({ numVfs: 2, virtfns: 2 });
    },
    600_000,
  );
});

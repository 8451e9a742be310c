import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { NumVfsResult, Problem } from '@vfmap/model';
import { RUN_IN_GUEST } from '../../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../../test/needs';

/**
 * The split agent on a real kernel: test/realkernel/run-in-guest.sh --igb 2 boots a QEMU guest
 * with igb SR-IOV NICs and runs testing/guestSplit.ts in it: the bundled agent as root, its HTTP
 * side as nobody, changes a PF's VF count through the root helper's sriov_numvfs write.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const PF = '0000:04:00.0';
const bundle = mkdtempSync(join(tmpdir(), 'vfmap-guest-split-'));
afterAll(() => rmSync(bundle, { recursive: true, force: true }));

describe('the split agent on a real kernel (QEMU guest, igb)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'changes a VF count through the root helper while the HTTP side runs as nobody',
    () => {
      execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', '--share', bundle, `npx tsx apps/agent/src/testing/guestSplit.ts ${bundle} ${PF}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown> & Record<'enable2' | 'tooMany' | 'disable', { status: number; body: unknown }>;
      expect(r.helperUid).toBe(0);
      expect(r.httpUid).toBe(65534);
      expect(r.stateDirUid).toBe(65534);
      expect(r.enable2.status).toBe(200);
      expect(NumVfsResult.parse(r.enable2.body)).toMatchObject({ previousCount: 0, count: 2, changed: true });
      expect(r.afterEnable2).toEqual({ numVfs: 2, virtfns: 2 });
      expect(r.tooMany.status).toBe(422);
      expect(Problem.parse(r.tooMany.body)).toMatchObject({ reason: 'count-out-of-range', totalVfs: 7 });
      expect(r.disable.status).toBe(200);
      expect(r.afterDisable).toEqual({ numVfs: 0, virtfns: 0 });
      expect(r.agentExit).toBe(0);
    },
    600_000,
  );
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { Topology, VfConfigResult, VfSettingRefusedProblem, type VfConfig } from '@vfmap/model';
import { RUN_IN_GUEST } from '../../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../../test/needs';

/**
 * PUT …/vfs/:vf/config on a real kernel: test/realkernel/run-in-guest.sh --igb 2 boots Debian's 6.1
 * kernel in QEMU with two igb (82576) SR-IOV NICs and runs testing/guestVfConfig.ts inside it (one
 * boot, about 60-90 s under TCG): the agent (`--kernel real`) sets a VF's MAC, VLAN + qos, trust,
 * spoof checking and max TX rate with the real `ip`, read back independently with `ip -j -d link
 * show`; igb's refusals (state, min_tx_rate, 802.1ad) come back as the vf-setting-refused problem
 * with the settings applied before them. Then the bundled agent, split (the HTTP side as nobody),
 * sets VF 2 through its root helper. Needs root and the harness.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const PF = '0000:04:00.0';
const bundle = mkdtempSync(join(tmpdir(), 'vfmap-guest-vfconfig-'));
afterAll(() => rmSync(bundle, { recursive: true, force: true }));
const IGB_DEFAULT: VfConfig = {
  mac: null, vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null,
};

interface Answer {
  status: number;
  type: string | null;
  body: unknown;
}

describe('PUT …/vfs/:vf/config on a real kernel (QEMU guest, igb)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'sets MAC, VLAN + qos, trust, spoof checking and a TX rate with ip, and answers what igb refuses with the settings applied before it',
    () => {
      execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', bundle], { cwd: REPO, stdio: 'pipe' });
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', '--share', bundle, `npx tsx apps/agent/src/testing/guestVfConfig.ts ${PF} ${bundle}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        ifname: string;
        vfs: string[];
        set: Answer;
        ipAfterSet: Array<Record<string, unknown>>;
        refusedState: Answer;
        refusedMinRate: Answer;
        refusedQinq: Answer;
        badInput: Answer;
        ipAfterAll: Array<Record<string, unknown>>;
        after: unknown;
        byHand: { status: number | null; stderr: string };
        split: { helperUid: number; httpUid: number; set: Answer; refused: Answer; ip: Array<Record<string, unknown>> } | { error: string };
      };

      // Set through the API; ip itself shows it, and the answer is the VF as read back.
      expect(r.set.status).toBe(200);
      const set = VfConfigResult.parse(r.set.body);
      expect(set.applied).toEqual(['mac', 'vlan', 'spoofChk', 'trust', 'maxTxRateMbps']);
      const vf0 = { ...IGB_DEFAULT, mac: '02:00:00:00:01:00', vlan: 100, qos: 3, trust: true, spoofChk: false, maxTxRateMbps: 100 };
      expect(set.vf.config).toEqual(vf0);
      expect(r.ipAfterSet[0]).toMatchObject({ vf: 0, address: '02:00:00:00:01:00', vlan_list: [{ vlan: 100, qos: 3 }], spoofchk: false, trust: true, rate: { max_tx: 100, min_tx: 0 } });

      // igb has no link-state control: refused after the MAC and trust went through, and said so.
      expect(r.refusedState.status).toBe(422);
      expect(r.refusedState.type).toContain('application/problem+json');
      expect(VfSettingRefusedProblem.parse(r.refusedState.body)).toMatchObject({
        reason: 'vf-setting-refused', pf: PF, interface: r.ifname, vf: r.vfs[1], vfIndex: 1, driver: 'igb', setting: 'linkState', errno: 'EOPNOTSUPP', applied: ['mac', 'trust'],
      });
      expect(VfSettingRefusedProblem.parse(r.refusedMinRate.body)).toMatchObject({ setting: 'minTxRateMbps', errno: 'EINVAL', applied: [] });
      expect(VfSettingRefusedProblem.parse(r.refusedQinq.body)).toMatchObject({ setting: 'vlan', errno: 'EPROTONOSUPPORT', applied: [] });
      // A multicast MAC never reaches ip.
      expect(r.badInput.status).toBe(400);

      // Independently, after everything: VF 1 has what was applied before the refusal, VF 2 nothing.
      expect(r.ipAfterAll.map((v) => [v.vf, v.address, v.vlan_list, v.spoofchk, v.trust, v.link_state, v.rate])).toEqual([
        [0, '02:00:00:00:01:00', [{ vlan: 100, qos: 3 }], false, true, 'auto', { max_tx: 100, min_tx: 0 }],
        [1, '02:00:00:00:01:01', [{}], true, true, 'auto', { max_tx: 0, min_tx: 0 }],
        [2, '00:00:00:00:00:00', [{}], true, false, 'auto', { max_tx: 0, min_tx: 0 }],
      ]);
      expect(Topology.parse(r.after).pfs.find((p) => p.address === PF)!.vfs.map((v) => v.config)).toEqual([
        vf0,
        { ...IGB_DEFAULT, mac: '02:00:00:00:01:01', trust: true },
        IGB_DEFAULT,
      ]);

      // What the simulated ip copies: the real one exits 2 with the kernel's strerror.
      expect(r.byHand).toEqual({ status: 2, stderr: 'RTNETLINK answers: Operation not supported\n' });

      // Split: the root helper ran ip, the HTTP side (nobody) read it back; the refusal crossed the socket as itself.
      if ('error' in r.split) throw new Error(r.split.error);
      expect(r.split).toMatchObject({ helperUid: 0, httpUid: 65534 });
      expect(r.split.set.status).toBe(200);
      expect(VfConfigResult.parse(r.split.set.body)).toMatchObject({ applied: ['mac', 'vlan', 'trust'], vf: { config: { ...IGB_DEFAULT, mac: '02:00:00:00:01:02', vlan: 42, trust: true } } });
      expect(r.split.refused.status).toBe(422);
      expect(VfSettingRefusedProblem.parse(r.split.refused.body)).toMatchObject({ setting: 'linkState', errno: 'EOPNOTSUPP', applied: ['spoofChk'], driver: 'igb' });
      expect(r.split.ip[2]).toMatchObject({ vf: 2, address: '02:00:00:00:01:02', vlan_list: [{ vlan: 42 }], trust: true, spoofchk: false, link_state: 'auto' });
    },
    600_000,
  );
});

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { Topology, type VfConfig } from '@vfmap/model';
import { RUN_IN_GUEST } from '../../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../../test/needs';

/**
 * VF settings on a real kernel: test/realkernel/run-in-guest.sh --igb 2 boots Debian's 6.1 kernel
 * in QEMU with two igb (82576) SR-IOV NICs and runs testing/guestVfSettings.ts inside it (one boot,
 * about 60-90 s under TCG): VFs configured with `ip link set … vf …`, read by the agent
 * (`--kernel real`, over HTTP) and, independently, with `ip -j -d link show`. Needs root and the harness.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const PF = '0000:04:00.0';

/** What igb reports for a VF nobody configured (fixtures/realkernel-igb/ip-link/vfs-enabled). */
const IGB_DEFAULT: VfConfig = {
  mac: null, vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null,
};

type IpLink = Array<{ ifname: string; vfinfo_list: Array<Record<string, unknown>> }>;

describe('VF settings on a real kernel (QEMU guest, igb)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'shows what ip link set … vf … set, the others\' defaults, and a change made behind its back',
    () => {
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', `npx tsx apps/agent/src/testing/guestVfSettings.ts ${PF}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out) as { ifname: string; ipBefore: IpLink; before: unknown; ipAfter: IpLink; after: unknown; seenAfterMs: number; ipMs: number };
      const pfOf = (t: unknown) => Topology.parse(t).pfs.find((p) => p.address === PF)!;

      // Independently: what ip itself printed after `vf 0 mac … vlan 100 qos 3 trust on` and `vf 1 spoofchk off max_tx_rate 100`.
      const [link] = r.ipBefore;
      expect(link!.ifname).toBe(r.ifname);
      expect(link!.vfinfo_list.map((v) => [v.vf, v.address, v.vlan_list, v.spoofchk, v.trust, v.rate])).toEqual([
        [0, '02:00:00:00:01:00', [{ vlan: 100, qos: 3 }], true, true, { max_tx: 0, min_tx: 0 }],
        [1, '00:00:00:00:00:00', [{}], false, false, { max_tx: 100, min_tx: 0 }],
        [2, '00:00:00:00:00:00', [{}], true, false, { max_tx: 0, min_tx: 0 }],
      ]);

      // The agent's topology: exactly that, and igb's defaults for the VF nobody configured.
      const before = Topology.parse(r.before);
      expect(before.warnings).toEqual([]);
      expect(pfOf(r.before).vfs.map((v) => v.config)).toEqual([
        { ...IGB_DEFAULT, mac: '02:00:00:00:01:00', vlan: 100, qos: 3, trust: true },
        { ...IGB_DEFAULT, spoofChk: false, maxTxRateMbps: 100 },
        IGB_DEFAULT,
      ]);
      // The other igb PF has no VFs: nothing to show, nothing asked.
      expect(before.pfs.find((p) => p.address === '0000:05:00.0')!.vfs).toEqual([]);
      // The NVMe PFs have no netdev: no settings (and their VFs, if any, config null).
      expect(before.pfs.filter((p) => p.driver === 'nvme').flatMap((p) => p.vfs.map((v) => v.config)).every((c) => c === null)).toBe(true);

      // `ip link set … vf 2 vlan 7 trust on` from a shell: ip shows it, and the agent's change check sees it.
      expect(r.ipAfter[0]!.vfinfo_list[2]).toMatchObject({ vf: 2, vlan_list: [{ vlan: 7 }], trust: true });
      expect(pfOf(r.after).vfs[2]!.config).toEqual({ ...IGB_DEFAULT, vlan: 7, trust: true });
      expect(pfOf(r.after).vfs[0]!.config).toEqual(pfOf(r.before).vfs[0]!.config);
      // Seen within a few of the agent's once-a-second checks (TCG is slow), not by luck of a full rescan.
      expect(r.seenAfterMs).toBeLessThan(10_000);
    },
    600_000,
  );
});

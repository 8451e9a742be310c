import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { RUN_IN_GUEST } from '../../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../../test/needs';
import { parseUnitFile, lastValue } from './unitFile';

/**
 * The planned .link file on a real kernel: test/realkernel/run-in-guest.sh --igb 2 boots a QEMU
 * guest (systemd 252, igb SR-IOV NICs) and runs testing/guestLinkPersist.ts in it.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const PF = '0000:04:00.0';

interface VfInfo {
  vf: number;
  address: string;
  vlan_list?: Array<{ vlan?: number; qos?: number }>;
  spoofchk?: boolean;
  trust?: boolean;
}

describe('keeping VFs with a .link file, on a real kernel (QEMU guest, igb, systemd 252)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'brings back the count and each VF\'s MAC, VLAN, spoof check and trust after the VFs were lost, and the PF keeps its name',
    () => {
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', `npx tsx apps/agent/src/testing/guestLinkPersist.ts ${PF}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        plan: { kind: string; write: { path: string; content: string } };
        netdev: { name: string; permanentMac: string };
        before: { props: Record<string, string | null> };
        testBefore: { props: Record<string, string | null> };
        testAfter: { props: Record<string, string | null> };
        after: { status: number; props: Record<string, string | null>; out: string };
        afterZero: number;
        countAfter: number;
        written: string;
        vfinfo: VfInfo[];
        namesBefore: string[];
        namesAfter: string[];
      };
      // The host's own files: only 99-default.link (and the USB one) match, so a file of its own.
      expect(r.plan.kind).toBe('link-file');
      expect(r.before.props.ID_NET_LINK_FILE).toBe('/usr/lib/systemd/network/99-default.link');
      const unit = parseUnitFile(r.plan.write.content, r.written);
      expect(lastValue([unit], 'Match', 'PermanentMACAddress')).toBe(r.netdev.permanentMac);
      expect(lastValue([unit], 'Link', 'NamePolicy')).toBe('keep kernel database onboard slot path');

      // The reboot: the VFs were gone, and udev's net_setup_link applied the planned file.
      expect(r.afterZero).toBe(0);
      expect(r.after.props.ID_NET_LINK_FILE).toBe(r.written);
      expect(r.countAfter).toBe(3);
      const vf = (n: number) => r.vfinfo.find((v) => v.vf === n)!;
      expect(vf(0)).toMatchObject({ address: '02:00:00:00:0a:00', vlan_list: [{ vlan: 100, qos: 2 }], spoofchk: false, trust: true });
      expect(vf(1).address).toBe('02:00:00:00:0a:01');
      expect(vf(2)).toMatchObject({ vlan_list: [{ vlan: 5 }], spoofchk: true, trust: false });

      // The PF keeps its name: the same interface, and udev would give it the same name with the new file.
      expect(r.namesAfter).toEqual(r.namesBefore);
      expect(r.testAfter.props.ID_NET_NAME).toBe(r.testBefore.props.ID_NET_NAME);
      expect(r.testAfter.props.ID_NET_LINK_FILE).toBe(r.written);
    },
    600_000,
  );

  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'through the agent\'s API: persist writes the .link file, and after the reboot (VFs gone, driver rebound, udev\'s net_setup_link) the VFs come back as desired, the PF keeps its name, and desired matches live',
    () => {
      // A host without udev: VFMAP_GUEST_UDEV_DEB names Debian's udev package, unpacked in the guest.
      // The longest guest run of the suite (the agent, a persist, a simulated reboot, udev): 405 s in one full
      // run on a 2-core machine without KVM, over 580 s in the next beside the other worker's tests.
      const udevDeb = process.env.VFMAP_GUEST_UDEV_DEB ?? '';
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', `npx tsx apps/agent/src/testing/guestPersistApi.ts ${PF} ${udevDeb}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 1_100_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        error?: string;
        setCount: { status: number };
        persist: { status: number; body: { changed: boolean; steps: string[] } };
        afterPersist: { keptBy: { mechanism: string; path: string; written: boolean; initramfs: boolean } };
        content: string;
        afterZero: number;
        names: { before: string; after: string; driver: string };
        applied: { status: number; props: Record<string, string | null>; out: string };
        countAfter: number;
        vfinfo: VfInfo[];
        testBefore: Record<string, string | null>;
        testAfter: Record<string, string | null>;
        afterReboot: { matches: boolean | null; differences: unknown[]; keptBy: { written: boolean }; lostAtReboot: boolean };
      };
      // Everything the guest saw, for a failure's reader.
      writeFileSync(join(tmpdir(), 'vfmap-guest-persist-api.json'), `${JSON.stringify(r, null, 2)}\n`);
      expect(r.error).toBeUndefined();
      expect(r.setCount.status).toBe(200);
      expect(r.persist.status).toBe(200);
      expect(r.persist.body.changed).toBe(true);
      expect(r.afterPersist.keptBy).toMatchObject({ mechanism: 'link-file', written: true, initramfs: true });
      expect(r.persist.body.steps[0]).toBe(`Wrote ${r.afterPersist.keptBy.path} (mode 0644): ${r.persist.body.steps[0]!.slice(`Wrote ${r.afterPersist.keptBy.path} (mode 0644): `.length)}`);
      expect(r.persist.body.steps.some((s) => s.startsWith('Run update-initramfs -u'))).toBe(true);
      const unit = parseUnitFile(r.content, r.afterPersist.keptBy.path);
      expect(lastValue([unit], 'Link', 'SR-IOVVirtualFunctions')).toBe('3');
      expect(lastValue([unit], 'Link', 'NamePolicy')).toBe('keep kernel database onboard slot path');

      // The reboot.
      expect(r.afterZero).toBe(0);
      expect(r.applied.props.ID_NET_LINK_FILE).toBe(r.afterPersist.keptBy.path);
      expect(r.countAfter).toBe(3);
      const vf = (n: number) => r.vfinfo.find((v) => v.vf === n)!;
      expect(vf(0)).toMatchObject({ address: '02:00:00:00:0b:00', vlan_list: [{ vlan: 100, qos: 2 }], spoofchk: false, trust: true });
      expect(vf(2)).toMatchObject({ address: '02:00:00:00:0b:02', vlan_list: [{ vlan: 5 }], spoofchk: true, trust: false });
      // The PF keeps its name, and udev would give it the same one with vfmap's file.
      expect(r.names.after).toBe(r.names.before);
      expect(r.testAfter.ID_NET_NAME).toBe(r.testBefore.ID_NET_NAME);
      expect(r.testAfter.ID_NET_LINK_FILE).toBe(r.afterPersist.keptBy.path);
      // And the agent, reading the host again, finds it as desired.
      expect(r.afterReboot).toMatchObject({ matches: true, differences: [], keptBy: { written: true }, lostAtReboot: false });
    },
    1_200_000,
  );
});

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { PfWriteResult, Problem, VfDriverResult } from '@vfmap/model';
import { RUN_IN_GUEST } from '../../../../packages/sysfs/test/extractFixture';
import { file, itNeeds, root } from '../../../../test/needs';

/**
 * A VF's driver on a real kernel: test/realkernel/run-in-guest.sh --igb 2 boots Debian's 6.1
 * kernel in QEMU with two igb (82576) SR-IOV NICs and runs testing/guestVfDriver.ts inside it (one
 * boot): an igbvf VF bound to vfio-pci and given back through the agent's API (`--kernel real`),
 * each step checked in sysfs directly; autoprobe switched off through the API. Needs root and the harness.
 */
const REPO = resolve(import.meta.dirname, '../../../..');
const PF = '0000:04:00.0';
const PF2 = '0000:05:00.0';
// igb puts VF n at devfn 0x80 + 2n on the PF's bus (probe-igb.md).
const VF = '0000:04:10.0';
const VF2 = '0000:05:10.0';

interface Sysfs {
  driver: string | null;
  driverOverride: string;
  netdevs: string[];
  vfioDev: string[];
}
interface Answer {
  status: number;
  body: unknown;
}

describe('vfio-pci binding on a real kernel (QEMU guest, igb)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    'binds an igbvf VF to vfio-pci through the API and gives it back to igbvf with its interface; autoprobe off keeps new VFs off igbvf',
    () => {
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', '--igb', '2', `npx tsx apps/agent/src/testing/guestVfDriver.ts ${PF} ${PF2}`], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 580_000,
        maxBuffer: 32 << 20,
      });
      const r = JSON.parse(out) as {
        vfio: { release: string; modulesDir: boolean; loadedAtStart: boolean; modprobe: string | null; loaded: boolean };
        vf: string;
        initial: Sysfs;
        bind: Answer;
        afterBind: Sysfs;
        devVfio: string[];
        topologyAfterBind: { driver: string | null; netdevs: unknown[] } | null;
        bindAgain: Answer;
        release: Answer;
        afterRelease: Sysfs;
        topologyAfterRelease: { driver: string | null; netdevs: unknown[] } | null;
        onPf: Answer;
        autoprobeOff: Answer;
        autoprobeFile: string;
        numvfs2: Answer;
        vf2: string;
        vf2Created: Sysfs;
        bindVf2: Answer;
        vf2Bound: Sysfs;
      };
      // The harness's initramfs loads vfio-pci; the guest's root is this machine's, whose
      // /lib/modules need not hold the guest kernel's modules, so modprobe is only a fallback.
      expect(r.vfio.loaded, JSON.stringify(r.vfio)).toBe(true);

      expect(r.vf).toBe(VF);
      expect(r.initial).toMatchObject({ driver: 'igbvf', driverOverride: '(null)', vfioDev: [] });
      expect(r.initial.netdevs).toHaveLength(1);

      // Bound through the API: sysfs says vfio-pci, the netdev is gone, the vfio cdev is there.
      expect(r.bind.status, JSON.stringify(r.bind.body)).toBe(200);
      expect(VfDriverResult.parse(r.bind.body)).toMatchObject({ previousDriver: 'igbvf', driver: 'vfio-pci', changed: true, vf: { netdevs: [] } });
      expect(r.afterBind).toMatchObject({ driver: 'vfio-pci', driverOverride: 'vfio-pci', netdevs: [] });
      expect(r.afterBind.vfioDev).toHaveLength(1);
      expect(r.devVfio.filter((n) => /^\d+$/.test(n)).length).toBeGreaterThan(0);
      expect(r.topologyAfterBind).toMatchObject({ driver: 'vfio-pci', netdevs: [] });
      expect(VfDriverResult.parse(r.bindAgain.body)).toMatchObject({ changed: false });

      // Given back: igbvf again, with a netdev, the override cleared.
      expect(r.release.status, JSON.stringify(r.release.body)).toBe(200);
      expect(VfDriverResult.parse(r.release.body)).toMatchObject({ previousDriver: 'vfio-pci', driver: 'igbvf', changed: true });
      expect(r.afterRelease).toMatchObject({ driver: 'igbvf', driverOverride: '(null)', vfioDev: [] });
      expect(r.afterRelease.netdevs).toHaveLength(1);
      expect(r.topologyAfterRelease?.driver).toBe('igbvf');
      expect(r.topologyAfterRelease?.netdevs).toHaveLength(1);

      // A PF's driver is not this route's to change.
      expect(r.onPf.status).toBe(422);
      expect(Problem.parse(r.onPf.body)).toMatchObject({ reason: 'not-a-vf' });

      // Autoprobe off: the new VF stays unbound (no igbvf, no interface); vfio-pci still binds it.
      expect(r.autoprobeOff.status).toBe(200);
      expect(PfWriteResult.parse(r.autoprobeOff.body)).toMatchObject({ changed: true, pf: { driversAutoprobe: false } });
      expect(r.autoprobeFile).toBe('0');
      expect(r.numvfs2.status).toBe(200);
      expect(r.vf2).toBe(VF2);
      expect(r.vf2Created).toMatchObject({ driver: null, netdevs: [] });
      expect(r.bindVf2.status, JSON.stringify(r.bindVf2.body)).toBe(200);
      expect(r.vf2Bound).toMatchObject({ driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    },
    600_000,
  );
});

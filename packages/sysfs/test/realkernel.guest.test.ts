import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { Topology } from '@vfmap/model';
import { file, itNeeds, root } from '../../../test/needs';
import { RUN_IN_GUEST } from './extractFixture';

/**
 * The reader against a real Linux kernel: test/realkernel/run-in-guest.sh boots Debian's 6.1
 * kernel in QEMU (two NVMe SR-IOV PFs, an e1000e) and runs guestScan.ts inside it, in one boot of
 * about 30-60 s under TCG. It needs root (QEMU serves / over 9p) and the harness.
 */
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

describe('readTopology on a real kernel (QEMU guest)', () => {
  itNeeds(
    [root, file(RUN_IN_GUEST, 'the real-kernel harness')],
    `reads the guest's /sys cleanly, and sees the 4 VFs that "echo 4 > sriov_numvfs" makes`,
    () => {
      const out = execFileSync(RUN_IN_GUEST, ['--quiet', 'npx tsx packages/sysfs/test/guestScan.ts 0000:01:00.0 4'], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 540_000,
        maxBuffer: 16 << 20,
      });
      const result = JSON.parse(out) as Record<string, unknown>;
      const before = Topology.parse(result.before);
      const after = Topology.parse(result.after);

      // The guest's own kernel and the host's pci.ids (the chroot shares this machine's /usr).
      for (const t of [before, after]) {
        expect(t.warnings).toEqual([]);
        expect(t.host.kernel).toMatch(/^6\.1\./);
        expect(t.host.iommu.enabled).toBe(true);
        expect(t.iommuGroups.find((g) => g.devices.includes('0000:00:1f.0'))!.devices).toEqual(['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3']);
      }
      expect(before.pfs.map((p) => [p.address, p.numVfs, p.totalVfs, p.vfs.length])).toEqual([
        ['0000:01:00.0', 0, 8, 0],
        ['0000:02:00.0', 0, 8, 0],
      ]);
      expect(before.pfs[0]).toMatchObject({ vendorName: 'Red Hat, Inc.', deviceName: 'QEMU NVM Express Controller', driver: 'nvme', vfDeviceId: '0010', offset: 1, stride: 1, driversAutoprobe: true });
      expect(before.devices.find((d) => d.address === '0000:03:00.0')!.netdevs).toEqual([
        { name: 'eth0', mac: '52:54:00:12:34:56', operState: 'up', speedMbps: 1000 },
      ]);

      const pf = after.pfs.find((p) => p.address === '0000:01:00.0')!;
      expect(pf.numVfs).toBe(4);
      expect(pf.vfs.map((v) => [v.index, v.address, v.pf, v.vendorId, v.deviceId])).toEqual([
        [0, '0000:01:00.1', '0000:01:00.0', '1b36', '0010'],
        [1, '0000:01:00.2', '0000:01:00.0', '1b36', '0010'],
        [2, '0000:01:00.3', '0000:01:00.0', '1b36', '0010'],
        [3, '0000:01:00.4', '0000:01:00.0', '1b36', '0010'],
      ]);
      // QEMU's NVMe VFs start offline: nvme binds, gives up, and leaves them unbound.
      expect(pf.vfs.map((v) => v.driver)).toEqual([null, null, null, null]);
      // Each VF has a group of its own, numbered after the existing ones.
      const groupIds = pf.vfs.map((v) => v.iommuGroup!);
      expect(new Set(groupIds).size).toBe(4);
      for (const vf of pf.vfs) expect(after.iommuGroups).toContainEqual({ id: vf.iommuGroup, devices: [vf.address] });
      expect(Math.min(...groupIds)).toBeGreaterThan(Math.max(...before.iommuGroups.map((g) => g.id)));
      expect(after.devices.map((d) => d.address)).toEqual(before.devices.map((d) => d.address));

      // A down link: the kernel fails the read of speed with EINVAL, which is "unknown", not a warning.
      expect(after.devices.find((d) => d.address === '0000:03:00.0')!.netdevs).toEqual([
        { name: 'eth0', mac: '52:54:00:12:34:56', operState: 'down', speedMbps: null },
      ]);

      expect(result.fingerprintAfter).not.toBe(result.fingerprintBefore);
      expect(result.fingerprintAgain).toBe(result.fingerprintAfter);
    },
    600_000,
  );
});

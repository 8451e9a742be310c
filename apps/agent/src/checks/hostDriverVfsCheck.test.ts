import { describe, expect, it } from 'vitest';
import { handPf, handTopology, handVf } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { hostDriverVfsCheck } from './hostDriverVfsCheck';

const PF = '0000:18:00.0';
const vfs = (n: number, driver: string | null) => Array.from({ length: n }, (_, i) => handVf(PF, i, `0000:18:0${1 + (i >> 3)}.${i & 7}`, { driver }));
const files = () => handFiles({ 'sys/bus/pci/devices': { dir: true } });

describe('hostDriverVfsCheck', () => {
  it('warns where many VFs sit on the host driver with autoprobe on, with the autoprobe fix', () => {
    const [c] = hostDriverVfsCheck({ files: files(), topology: handTopology({ pfs: [handPf(PF, { numVfs: 16, vfs: vfs(16, 'iavf') })] }) });
    expect(c).toMatchObject({ id: 'host-driver-vfs', target: PF, status: 'warn', title: `16 of 16 VFs of ${PF} are on host drivers (iavf) with autoprobe on` });
    expect(c!.fix.debian).toMatch(/sriov_drivers_autoprobe/);
  });

  it('says nothing with autoprobe off, with VFs on vfio-pci, or with a few on the host', () => {
    const run = (over: Parameters<typeof handPf>[1]) => hostDriverVfsCheck({ files: files(), topology: handTopology({ pfs: [handPf(PF, over)] }) });
    expect(run({ numVfs: 16, driversAutoprobe: false, vfs: vfs(16, 'iavf') })).toEqual([]);
    expect(run({ numVfs: 16, vfs: vfs(16, 'vfio-pci') })).toEqual([]);
    expect(run({ numVfs: 4, vfs: vfs(4, 'iavf') })).toEqual([]);
  });
});

import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SysfsWarningCode } from '@vfmap/model';
import { copyForEachTest, fixture } from '../test/extractFixture';
import { readTopology } from './readTopology';

/**
 * Every code of the model's SysfsWarningCode, made to happen: the real-kernel capture with VFs,
 * broken the way a live host or a bad capture is. The Record makes a new code in the model fail
 * the typecheck until it has a way to happen here (or leaves the enum).
 */
let root: string;
const dev = (address: string, name = '') => join(root, 'sys/bus/pci/devices', address, name);
const withoutUevent = (address: string) => unlinkSync(dev(address, 'uevent'));

const breakages: Record<SysfsWarningCode, () => void> = {
  vanished: () => rmSync(join(root, 'sys/devices/pci0000:00/0000:00:02.0/0000:01:00.2'), { recursive: true }),
  unreadable: () => {
    unlinkSync(dev('0000:00:1f.0', 'numa_node'));
    mkdirSync(dev('0000:00:1f.0', 'numa_node'));
  },
  'missing-attribute': () => unlinkSync(dev('0000:01:00.0', 'sriov_numvfs')),
  malformed: () => {
    withoutUevent('0000:00:10.0');
    writeFileSync(dev('0000:00:10.0', 'vendor'), 'garbage\n');
  },
  'not-a-link': () => {
    withoutUevent('0000:03:00.0');
    unlinkSync(dev('0000:03:00.0', 'driver'));
    mkdirSync(dev('0000:03:00.0', 'driver'));
  },
  'not-a-pci-address': () => symlinkSync('../../../devices/pci0000:00/0000:00:00.0', join(root, 'sys/bus/pci/devices/not-a-device')),
  'no-pci-devices': () => rmSync(join(root, 'sys/bus/pci/devices'), { recursive: true }),
  'iommu-groups-missing': () => rmSync(join(root, 'sys/kernel/iommu_groups'), { recursive: true }),
  'non-pci-group-member': () => symlinkSync('../../../../devices/platform/ff800000.gpu', join(root, 'sys/kernel/iommu_groups/10/devices/ff800000.gpu')),
  'physfn-mismatch': () => {
    unlinkSync(dev('0000:01:00.3', 'physfn'));
    symlinkSync('../0000:02:00.0', dev('0000:01:00.3', 'physfn'));
  },
  'orphan-vf': () => unlinkSync(dev('0000:02:00.0', 'virtfn2')),
  'vf-missing': () => {
    symlinkSync('../0000:01:00.7', dev('0000:01:00.0', 'virtfn4'));
    writeFileSync(dev('0000:01:00.0', 'sriov_numvfs'), '5\n');
  },
  'numvfs-mismatch': () => writeFileSync(dev('0000:01:00.0', 'sriov_numvfs'), '3\n'),
};

describe('every sysfs warning code is one the reader emits', () => {
  copyForEachTest(fixture('realkernel', 'vfs-enabled'), (copy) => {
    root = copy;
  });

  it('reads the capture as it is with no warning at all', () => {
    expect(readTopology({ root, pciIds: null }).warnings).toEqual([]);
  });

  it.each(SysfsWarningCode.options)('emits "%s"', (code) => {
    breakages[code]();
    expect(readTopology({ root, pciIds: null }).warnings.map((w) => w.code)).toContain(code);
  });
});

import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost } from './generateHost';
import { parseProbeWrites, type ProbeWrite } from './probeCases';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

const PROBE = join(import.meta.dirname, '../../../fixtures/realkernel/probe.txt');
const report = readFileSync(PROBE, 'utf8');
const writes = parseProbeWrites(report);

/**
 * The qemu-q35 profile is the machine probe.txt was recorded on (two QEMU NVMe PFs with SR-IOV,
 * 8 VFs each). Every write of the report is replayed in order against the simulated kernel, which
 * must answer each with the real kernel's result — the same errno, or OK and the same value read back.
 */
describe('the simulated kernel against every write of probe.txt', () => {
  const tmp = tempRoot();
  const root = tmp.dir;
  const kernel = createSimKernel(root);
  const pf1 = join(root, 'sys/bus/pci/devices/0000:01:00.0');
  const pf2 = join(root, 'sys/bus/pci/devices/0000:02:00.0');
  const inRoot = (path: string) => join(root, path);
  const readAttr = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8').trim();
  const virtfns = (dir: string) => readdirSync(dir).filter((n) => /^virtfn\d+$/.test(n)).length;
  const driverOf = (address: string) => {
    const l = join(root, 'sys/bus/pci/devices', address, 'driver');
    return existsSync(l) ? readlinkSync(l).split('/').pop()! : null;
  };
  const groupOf = (address: string) => Number(readlinkSync(join(root, 'sys/bus/pci/devices', address, 'iommu_group')).split('/').pop());

  beforeAll(() => {
    generateHost(root, profiles['qemu-q35']!);
  });
  afterAll(() => tmp.remove());

  function attempt(w: ProbeWrite): { result: string; errno: number | null } {
    try {
      kernel.writeAttribute(inRoot(w.path), w.value);
      return { result: 'OK', errno: null };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { result: e.code ?? String(err), errno: e.errno ?? null };
    }
  }

  /** What probe.txt states about the machine right after some writes. */
  const observations: Record<string, () => void> = {
    // "sriov_numvfs now 4; VFs right after the write: 0000:01:00.1:nvme ... 0000:01:00.4:nvme", groups 11..14
    enable: () => {
      expect(readAttr(pf1, 'sriov_numvfs')).toBe('4');
      expect(virtfns(pf1)).toBe(4);
      expect(['0000:01:00.1', '0000:01:00.2', '0000:01:00.3', '0000:01:00.4'].map(driverOf)).toEqual(['nvme', 'nvme', 'nvme', 'nvme']);
      expect(['0000:01:00.1', '0000:01:00.2', '0000:01:00.3', '0000:01:00.4'].map(groupOf)).toEqual([11, 12, 13, 14]);
    },
    // "sriov_numvfs now 4, virtfn links: 4"
    negative: () => {
      expect(readAttr(pf1, 'sriov_numvfs')).toBe('4');
      expect(virtfns(pf1)).toBe(4);
    },
    // "VFs after 1.5 s: 0000:01:00.1:- 0000:01:00.2:-   (expect no driver)"
    'enable 2 (autoprobe 0)': () => {
      expect([driverOf('0000:01:00.1'), driverOf('0000:01:00.2')]).toEqual([null, null]);
      expect(readAttr(join(root, 'sys/bus/pci/devices/0000:01:00.1'), 'driver_override')).toBe('(null)');
    },
    // "VF 0000:01:00.1 driver now: vfio-pci; driver link ../../../../bus/pci/drivers/vfio-pci; driver_override=vfio-pci"
    'drivers_probe VF': () => {
      expect(readlinkSync(join(root, 'sys/bus/pci/devices/0000:01:00.1/driver'))).toBe('../../../../bus/pci/drivers/vfio-pci');
      expect(readAttr(join(root, 'sys/bus/pci/devices/0000:01:00.1'), 'driver_override')).toBe('vfio-pci');
      expect(readdirSync(join(root, 'sys/bus/pci/drivers/vfio-pci'))).toContain('0000:01:00.1');
    },
    // "VFs: 0000:01:00.1:vfio-pci 0000:01:00.2:-"
    'bind an already bound VF again': () => {
      expect([driverOf('0000:01:00.1'), driverOf('0000:01:00.2')]).toEqual(['vfio-pci', null]);
    },
    // "virtfn links now: 0"
    'disable with a VF bound to vfio-pci': () => {
      expect(virtfns(pf1)).toBe(0);
      expect(existsSync(join(root, 'sys/bus/pci/devices/0000:01:00.1'))).toBe(false);
      expect(readdirSync(join(root, 'sys/bus/pci/drivers/vfio-pci'))).not.toContain('0000:01:00.1');
    },
    // "PF2 driver: null"
    'unbind PF2 from nvme': () => expect(driverOf('0000:02:00.0')).toBeNull(),
    // "PF2 driver: pci-pf-stub"
    'drivers_probe PF2': () => expect(driverOf('0000:02:00.0')).toBe('pci-pf-stub'),
    // "virtfn0 -> ../0000:02:00.1; physfn -> ../0000:02:00.0; group 11" ... group 13: numbers freed by the disable are reused
    'enable 3 under pci-pf-stub': () => {
      expect(readlinkSync(join(pf2, 'virtfn0'))).toBe('../0000:02:00.1');
      expect(readlinkSync(join(root, 'sys/bus/pci/devices/0000:02:00.1/physfn'))).toBe('../0000:02:00.0');
      expect(['0000:02:00.1', '0000:02:00.2', '0000:02:00.3'].map(groupOf)).toEqual([11, 12, 13]);
    },
    // "PF2 driver: null, sriov_numvfs=3, virtfn links: 3"
    'unbind PF2 from pci-pf-stub with VFs enabled': () => {
      expect(driverOf('0000:02:00.0')).toBeNull();
      expect(readAttr(pf2, 'sriov_numvfs')).toBe('3');
      expect(virtfns(pf2)).toBe(3);
    },
    // 'PF2 driver_override reads "(null)"'
    'PF2 driver_override cleared': () => expect(readAttr(pf2, 'driver_override')).toBe('(null)'),
    // "PF2 driver: nvme, sriov_numvfs=3"
    'rebind PF2 to nvme': () => {
      expect(driverOf('0000:02:00.0')).toBe('nvme');
      expect(readAttr(pf2, 'sriov_numvfs')).toBe('3');
    },
    // "final state": both PFs on nvme with 0 VFs
    'disable PF2 under nvme': () => {
      expect([driverOf('0000:01:00.0'), readAttr(pf1, 'sriov_numvfs')]).toEqual(['nvme', '0']);
      expect([driverOf('0000:02:00.0'), readAttr(pf2, 'sriov_numvfs')]).toEqual(['nvme', '0']);
      expect(virtfns(pf2)).toBe(0);
    },
  };

  it('finds every write of the report, in its three kinds', () => {
    expect(writes.length).toBe(36);
    expect(writes.filter((w) => w.section === 'writes while VFs are enabled')).toHaveLength(5);
    expect(writes.filter((w) => w.section.startsWith('parsing of the written value'))).toHaveLength(12);
    expect(writes.filter((w) => w.result === 'ENOENT')).toHaveLength(2);
  });

  it('answers each write as the real kernel did, in the same order, and reads back the same count', () => {
    const expected: string[] = [];
    const actual: string[] = [];
    for (const w of writes) {
      // "parsing of the written value (VFs disabled before each)": the probe wrote 0 first.
      if (w.section.startsWith('parsing of the written value') && w.label.startsWith('value ')) {
        kernel.writeAttribute(join(pf1, 'sriov_numvfs'), '0');
      }
      const got = attempt(w);
      const readsAfter = w.readsAfter === null ? '' : ` reads ${readAttr(pf1, 'sriov_numvfs')}`;
      expected.push(`${w.label}: ${w.result}${w.errno === null ? '' : ` ${w.errno}`}${w.readsAfter === null ? '' : ` reads ${w.readsAfter}`}`);
      actual.push(`${w.label}: ${got.result}${got.errno === null ? '' : ` ${got.errno}`}${readsAfter}`);
      observations[w.label]?.();
    }
    expect(actual).toEqual(expected);
  });

  it('refuses a writer that is not root with EACCES, as bash as uid 65534 was ("Permission denied")', () => {
    expect(report).toContain('non-root (uid 65534) via bash: {"status":1,"stderr":"bash: line 1: /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs: Permission denied"}');
    const asNobody = createSimKernel(root, { uid: 65534 });
    expect(() => asNobody.writeAttribute(join(pf1, 'sriov_numvfs'), '0')).toThrow(expect.objectContaining({ code: 'EACCES', errno: -13 }));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostChecks, type Check } from '@vfmap/model';
import { readTopology } from '@vfmap/sysfs';
import { extractFixture, fixture, removeFixture } from '../../../../packages/sysfs/test/extractFixture';
import { readHostChecks } from './hostChecks';

/**
 * The checks over trees captured from real kernels (fixtures/): Debian's 6.1 in QEMU with Intel
 * IOMMU on (NVMe and igb SR-IOV PFs), and partial captures of real machines. The captures keep
 * sysfs only: no /proc, and `config` files are empty placeholders.
 */
const CAPTURES = {
  nvme: fixture('realkernel', 'vfs-enabled'),
  igb: fixture('realkernel-igb', 'igb-vfs-enabled'),
  i350: fixture('real-hosts', 'xeon-l5640-i350-vfs'),
  thinkpad: fixture('real-hosts', 'thinkpad-x1c10-shared-groups'),
  x722: fixture('real-hosts', 'supermicro-x722-nec-ve'),
} as const;
type Name = keyof typeof CAPTURES;

const checks = {} as Record<Name, Check[]>;
const roots: string[] = [];
beforeAll(() => {
  for (const [name, tar] of Object.entries(CAPTURES) as Array<[Name, string]>) {
    const root = extractFixture(tar);
    roots.push(root);
    checks[name] = HostChecks.parse(readHostChecks(root, name, readTopology({ root, pciIds: null }))).checks;
  }
});
afterAll(() => roots.forEach(removeFixture));

const find = (name: Name, id: string, target: string | null = null) => checks[name].find((c) => c.id === id && c.target === target);

describe('checks on real-kernel captures', () => {
  it('finds the IOMMU on in the QEMU guest booted with intel_iommu=on, from dmar0 and its groups', () => {
    const c = find('nvme', 'iommu')!;
    expect(c.status).toBe('ok');
    expect(c.title).toMatch(/^IOMMU on: \d+ groups$/);
    expect(c.evidence).toContainEqual({ path: '/sys/class/iommu', value: 'dmar0' });
    // The capture kept no /proc.
    expect(c.evidence).toContainEqual({ path: '/proc/cmdline', value: '(absent)' });
  });

  it('finds vfio_pci loaded in the guest', () => {
    expect(find('nvme', 'vfio-modules')?.status).toBe('ok');
    expect(find('igb', 'vfio-modules')?.status).toBe('ok');
  });

  it('finds each VF in its own IOMMU group (6.1, q35 with ACS on the root ports)', () => {
    const shared = checks.igb.filter((c) => c.id === 'shared-iommu-groups');
    expect(shared.map((c) => [c.target, c.status])).toEqual([
      ['0000:04:00.0', 'ok'],
      ['0000:05:00.0', 'ok'],
    ]);
  });

  it('cannot judge the config spaces a capture keeps as empty placeholders, and says so once', () => {
    const unknown = checks.igb.filter((c) => c.id === 'sriov-switched-off');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ scope: 'host', status: 'unknown' });
    expect(unknown[0]!.evidence[0]!.value).toMatch(/^0 bytes readable/);
  });

  it("says the management path is unknown without /proc/net/route, and flags neither igb's 7 VFs nor its PF links", () => {
    expect(find('igb', 'management-path')?.status).toBe('unknown');
    expect(checks.igb.some((c) => c.id === 'totalvfs-limited' || c.id === 'pf-link' || c.id === 'host-driver-vfs')).toBe(false);
  });
});

describe('checks on partial captures of real machines', () => {
  it('says unknown, not off, where neither groups nor IOMMU units nor modules were captured (the I350 server)', () => {
    expect(find('i350', 'iommu')?.status).toBe('unknown');
    expect(find('i350', 'vfio-modules')?.status).toBe('unknown');
    expect(find('i350', 'shared-iommu-groups', '0000:05:00.0')?.status).toBe('unknown');
  });

  it("finds the ThinkPad's IOMMU on from the devices' group links, though the groups directory was not captured", () => {
    expect(find('thinkpad', 'iommu')).toMatchObject({ status: 'ok', title: expect.stringMatching(/^IOMMU on: \d+ groups$/) });
  });

  it("leaves the X722's down port alone: it has no VFs", () => {
    expect(checks.x722.some((c) => c.id === 'pf-link')).toBe(false);
    expect(checks.x722.every((c) => c.status !== 'fail')).toBe(true);
  });
});

import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFixture, extractFixture, fixture, removeFixture } from '../test/extractFixture';
import { readFingerprint } from './fingerprint';

/** The fingerprint says whether a cached topology still holds: it must change with what a scan would see differently. */
let baseline: string;
let enabled: string;
let root: string;
const dev = (address: string, name = '') => join(root, 'sys/bus/pci/devices', address, name);

beforeAll(() => {
  baseline = extractFixture(fixture('realkernel-igb', 'igb-baseline'));
  enabled = extractFixture(fixture('realkernel-igb', 'igb-vfs-enabled'));
});
afterAll(() => [baseline, enabled].forEach(removeFixture));

describe('readFingerprint', () => {
  it('is the same for the same tree, read twice or copied', () => {
    const copy = copyFixture(enabled);
    try {
      expect(readFingerprint(enabled)).toBe(readFingerprint(enabled));
      expect(readFingerprint(copy)).toBe(readFingerprint(enabled));
    } finally {
      removeFixture(copy);
    }
  });

  it('differs between a host without VFs and the same host with VFs', () => {
    expect(readFingerprint(baseline)).not.toBe(readFingerprint(enabled));
  });
});

describe('readFingerprint of a host that changes', () => {
  beforeEach(() => {
    root = copyFixture(enabled);
  });
  afterEach(() => removeFixture(root));

  it('changes when a PF\'s sriov_numvfs changes, even before the VFs appear', () => {
    const before = readFingerprint(root);
    writeFileSync(dev('0000:05:00.0', 'sriov_numvfs'), '3\n');
    expect(readFingerprint(root)).not.toBe(before);
  });

  it('changes when a device appears or goes', () => {
    const before = readFingerprint(root);
    unlinkSync(dev('0000:05:10.2'));
    expect(readFingerprint(root)).not.toBe(before);
  });

  it('changes when a driver is bound or unbound', () => {
    const before = readFingerprint(root);
    symlinkSync('../../../../bus/pci/drivers/igbvf', dev('0000:05:10.2', 'driver'));
    const bound = readFingerprint(root);
    expect(bound).not.toBe(before);
    unlinkSync(dev('0000:04:10.0', 'driver'));
    expect(readFingerprint(root)).not.toBe(bound);
  });

  it('changes when a netdev is renamed', () => {
    const before = readFingerprint(root);
    renameSync(dev('0000:04:10.2', 'net/eth4'), dev('0000:04:10.2', 'net/ens1f0v1'));
    expect(readFingerprint(root)).not.toBe(before);
  });

  it('does not read netdev attributes: a link going down or an unreadable address leaves it as it was', () => {
    const before = readFingerprint(root);
    writeFileSync(dev('0000:04:00.0', 'net/eth1/operstate'), 'down\n');
    unlinkSync(dev('0000:04:00.0', 'net/eth1/address'));
    mkdirSync(dev('0000:04:00.0', 'net/eth1/address'));
    expect(readFingerprint(root)).toBe(before);
  });
});

describe('readFingerprint on a root without PCI devices', () => {
  it('answers a fingerprint instead of throwing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'vfmap-fp-'));
    try {
      expect(readFingerprint(empty)).toBe(readFingerprint(empty));
      expect(readFingerprint(empty)).not.toBe(readFingerprint(baseline));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

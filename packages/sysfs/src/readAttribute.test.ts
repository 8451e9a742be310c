import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryReader, ReadAbort } from './readAttribute';
import { createScanContext } from './scanContext';
import { sysfsPaths } from './sysfsPaths';

/** The lenient reads on a small real directory tree: absent is no fault, gone is a warning, a gone device ends its read. */
let root: string;
let deviceDir: string;
const device = () => ({ dir: deviceDir, address: '0000:03:00.0' });
const scanOf = () => createScanContext(sysfsPaths(root));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vfmap-attr-'));
  deviceDir = join(root, 'sys/devices/pci0000:00/0000:03:00.0');
  mkdirSync(join(deviceDir, 'net/eth0'), { recursive: true });
  writeFileSync(join(deviceDir, 'vendor'), '0x8086\n');
  writeFileSync(join(deviceDir, 'net/eth0/operstate'), 'up\n');
  symlinkSync('../../../bus/pci/drivers/e1000e', join(deviceDir, 'driver'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('DirectoryReader', () => {
  it('reads listed attributes without their newline, link texts without resolving them, and absent ones as null', () => {
    const scan = scanOf();
    const dir = DirectoryReader.openDevice(scan, device());
    expect(dir.requiredText('vendor')).toBe('0x8086');
    expect(dir.linkName('driver')).toBe('e1000e');
    expect(dir.text('driver_override')).toBeNull();
    expect(dir.linkName('physfn')).toBeNull();
    expect(scan.warnings).toEqual([]);
  });

  it('abandons a device whose directory is gone', () => {
    rmSync(deviceDir, { recursive: true });
    expect(() => DirectoryReader.openDevice(scanOf(), device())).toThrow(ReadAbort);
  });

  it('reads a missing file of an unlisted directory as absent, with no warning', () => {
    const scan = scanOf();
    const netdev = DirectoryReader.unlisted(scan, join(deviceDir, 'net/eth0'), device());
    expect(netdev.text('operstate')).toBe('up');
    expect(netdev.text('address')).toBeNull();
    expect(netdev.gone).toBe(false);
    expect(scan.warnings).toEqual([]);
  });

  it('marks an unlisted directory that went away while its device stays, and leaves the warning to the caller', () => {
    const scan = scanOf();
    const netdev = DirectoryReader.unlisted(scan, join(deviceDir, 'net/eth1'), device());
    expect(netdev.text('address')).toBeNull();
    expect(netdev.gone).toBe(true);
    expect(scan.warnings).toEqual([]);
  });

  it('abandons the device when an unlisted directory went away with it', () => {
    const netdev = DirectoryReader.unlisted(scanOf(), join(deviceDir, 'net/eth0'), device());
    rmSync(deviceDir, { recursive: true });
    expect(() => netdev.text('address')).toThrow(ReadAbort);
  });
});

describe('DirectoryReader of a device that is not listed', () => {
  it('reads what is there, takes what is not as absent with no warning, and ends whole', () => {
    const scan = scanOf();
    const dir = DirectoryReader.device(scan, device());
    expect(dir.linkName('physfn')).toBeNull();
    expect(dir.has('sriov_totalvfs')).toBe(false);
    expect(dir.requiredText('vendor')).toBe('0x8086');
    expect(dir.text('driver_override')).toBeNull();
    expect(() => dir.finish()).not.toThrow();
    expect(scan.warnings).toEqual([]);
  });

  it('abandons a device whose directory went while its last reads found nothing', () => {
    const dir = DirectoryReader.device(scanOf(), device());
    expect(dir.requiredText('vendor')).toBe('0x8086');
    rmSync(deviceDir, { recursive: true });
    expect(dir.text('numa_node')).toBeNull();
    expect(() => dir.finish()).toThrow(ReadAbort);
  });

  it('tells a device without vendor from a device that went', () => {
    rmSync(join(deviceDir, 'vendor'));
    expect(() => DirectoryReader.device(scanOf(), device()).requiredText('vendor')).toThrow(expect.objectContaining({ warning: expect.objectContaining({ code: 'missing-attribute' }) }));
    rmSync(deviceDir, { recursive: true });
    expect(() => DirectoryReader.device(scanOf(), device()).requiredText('vendor')).toThrow(expect.objectContaining({ warning: expect.objectContaining({ code: 'vanished' }) }));
  });
});

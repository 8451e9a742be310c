import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itNeeds, pciIds, systemPciIdsFile } from '../../../test/needs';
import { loadPciIds, parsePciIds } from './pciIds';

/** The shape of pci.ids, cut down: comments, blank lines, a vendor without devices, and the class section at the end. */
const SAMPLE = [
  '#',
  '#\tList of PCI ID\'s',
  '#',
  '',
  '# Syntax:',
  '# vendor  vendor_name',
  '#\tdevice  device_name\t\t\t\t<-- single tab',
  '#\t\tsubvendor subdevice  subsystem_name\t<-- two tabs',
  '',
  '0001  SafeNet (wrong ID)',
  '1af4  Red Hat, Inc.',
  '\t1000  Virtio network device',
  '\t\t1af4 0001  Virtio network device',
  '# a comment inside a vendor block',
  '\t1041  Virtio 1.0 network device',
  '8086  Intel Corporation',
  '\t10ca  82576 Virtual Function',
  '\t1521  I350 Gigabit Network Connection',
  '\t\t1028 0602  Gigabit 2P I350-t LOM',
  '\t\t8086 0001  Ethernet Server Adapter I350-T4',
  '\t1522  I350 Gigabit Fiber Network Connection',
  'ffff  Illegal Vendor ID',
  '',
  '# List of known device classes, subclasses and programming interfaces',
  '',
  '# Syntax:',
  '# C class\tclass_name',
  '#\tsubclass\tsubclass_name  \t\t<-- single tab',
  '',
  'C 00  Unclassified device',
  '\t00  Non-VGA unclassified device',
  'C 02  Network controller',
  '\t00  Ethernet controller',
  '\t80  Network controller',
  'C 0c  Serial bus controller',
  '\t03  USB controller',
  '\t\t30  XHCI',
  '',
].join('\n');

describe('parsePciIds', () => {
  const ids = parsePciIds(SAMPLE);

  it('names vendors, and devices of their own vendor only', () => {
    expect(ids.vendorName('8086')).toBe('Intel Corporation');
    expect(ids.vendorName('0001')).toBe('SafeNet (wrong ID)');
    expect(ids.deviceName('8086', '1521')).toBe('I350 Gigabit Network Connection');
    expect(ids.deviceName('8086', '10ca')).toBe('82576 Virtual Function');
    expect(ids.deviceName('1af4', '1041')).toBe('Virtio 1.0 network device');
    expect(ids.deviceName('1af4', '1521')).toBeNull();
  });

  it('names subsystems from the double-tab lines of their device only', () => {
    expect(ids.subsystemName('8086', '1521', '8086', '0001')).toBe('Ethernet Server Adapter I350-T4');
    expect(ids.subsystemName('8086', '1521', '1028', '0602')).toBe('Gigabit 2P I350-t LOM');
    expect(ids.subsystemName('8086', '1522', '8086', '0001')).toBeNull();
    expect(ids.subsystemName('1af4', '1000', '1af4', '0001')).toBe('Virtio network device');
  });

  it('does not read the class section as vendors or as devices of the last vendor', () => {
    expect(ids.vendorName('ffff')).toBe('Illegal Vendor ID');
    expect(ids.deviceName('ffff', '00')).toBeNull();
    expect(ids.deviceName('ffff', '0000')).toBeNull();
    expect(ids.deviceName('ffff', '0080')).toBeNull();
    expect(ids.vendorName('C 02')).toBeNull();
    expect(ids.vendorName('c 02')).toBeNull();
    expect(ids.vendorName('0c')).toBeNull();
  });

  it('answers null for unknown or malformed ids, and accepts upper-case ids', () => {
    expect(ids.vendorName('abcd')).toBeNull();
    expect(ids.deviceName('8086', 'ffff')).toBeNull();
    expect(ids.deviceName('8086', '15')).toBeNull();
    expect(ids.vendorName('8086 ')).toBeNull();
    expect(ids.deviceName('8086', '10CA')).toBe('82576 Virtual Function');
  });

  it('reads a file with CRLF line ends and a last line without a newline', () => {
    const crlf = parsePciIds('15b3  Mellanox Technologies\r\n\t101b  MT28908 Family [ConnectX-6]\r\n\t101c  MT28908 Family [ConnectX-6 Virtual Function]');
    expect(crlf.vendorName('15b3')).toBe('Mellanox Technologies');
    expect(crlf.deviceName('15b3', '101b')).toBe('MT28908 Family [ConnectX-6]');
    expect(crlf.deviceName('15b3', '101c')).toBe('MT28908 Family [ConnectX-6 Virtual Function]');
  });

  it('takes a vendor id only at column 0 before a space, not inside device or subsystem lines', () => {
    const ids = parsePciIds('1af4  Red Hat, Inc.\n\t8086  Not a vendor\n\t\t8086 0001  Nor this\n80861  Nor a longer id\n8086\tIntel Corporation\n\t1521  I350\n');
    expect(ids.vendorName('8086')).toBe('Intel Corporation');
    expect(ids.deviceName('8086', '1521')).toBe('I350');
    expect(ids.vendorName('1af4')).toBe('Red Hat, Inc.');
    expect(ids.deviceName('1af4', '8086')).toBe('Not a vendor');
    expect(ids.deviceName('1af4', '1521')).toBeNull();
  });

  it('keeps UTF-8 names whole', () => {
    expect(parsePciIds('1234  Société Générale Électronique\n\t0001  Carte réseau\n').deviceName('1234', '0001')).toBe('Carte réseau');
  });
});

describe('loadPciIds', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vfmap-pciids-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('answers null when the root has no pci.ids', () => {
    expect(loadPciIds(root)).toBeNull();
  });

  it('parses a file once per path and mtime, and again when hwdata updates it', () => {
    const file = join(root, 'usr/share/hwdata/pci.ids');
    mkdirSync(join(root, 'usr/share/hwdata'), { recursive: true });
    writeFileSync(file, '8086  Intel Corporation\n');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const first = loadPciIds(root);
    expect(first!.vendorName('8086')).toBe('Intel Corporation');
    expect(loadPciIds(root)).toBe(first);
    writeFileSync(file, '8086  Intel Corp.\n');
    utimesSync(file, 1_700_000_100, 1_700_000_100);
    const second = loadPciIds(root);
    expect(second).not.toBe(first);
    expect(second!.vendorName('8086')).toBe('Intel Corp.');
  });

  itNeeds([pciIds], 'reads the real 1.5 MB database: Intel, Red Hat and Mellanox names for the ids in the fixtures', () => {
    const real = systemPciIdsFile!;
    mkdirSync(join(root, 'usr/share/misc'), { recursive: true });
    copyFileSync(real, join(root, 'usr/share/misc/pci.ids'));
    const started = performance.now();
    const ids = loadPciIds(root)!;
    const parsedMs = performance.now() - started;
    expect(ids.vendorName('8086')).toBe('Intel Corporation');
    expect(ids.deviceName('8086', '1521')).toBe('I350 Gigabit Network Connection');
    expect(ids.deviceName('8086', '10ca')).toBe('82576 Virtual Function');
    expect(ids.vendorName('1b36')).toBe('Red Hat, Inc.');
    expect(ids.deviceName('1b36', '0010')).toBe('QEMU NVM Express Controller');
    expect(ids.vendorName('15b3')).toBe('Mellanox Technologies');
    // the first vendor and the last one before the class section
    expect(ids.vendorName('0001')).toBe('SafeNet (wrong ID)');
    expect(ids.vendorName('ffff')).toBe('Illegal Vendor ID');
    console.info(`first parse of ${real}: ${parsedMs.toFixed(1)} ms`);
  });
});

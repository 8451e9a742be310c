import { describe, expect, it } from 'vitest';
import { linkBasename, parseDriverOverride, parseFlag, parseGroupId, parseHexId, parseInteger, parseNumaNode, parseSpeed } from './parseAttribute';

describe('sysfs attribute parsers', () => {
  it('reads ids with or without 0x, in either case, padded to their width', () => {
    expect(parseHexId('0x8086', 4)).toBe('8086');
    expect(parseHexId('0x010802', 6)).toBe('010802');
    expect(parseHexId('10', 4)).toBe('0010');
    expect(parseHexId('10ca', 4)).toBe('10ca');
    expect(parseHexId('0x15B3', 4)).toBe('15b3');
    expect(parseHexId('0x12345', 4)).toBeNull();
    expect(parseHexId('', 4)).toBeNull();
    expect(parseHexId('(null)', 4)).toBeNull();
  });

  it('reads integers and nothing else', () => {
    expect(parseInteger('128')).toBe(128);
    expect(parseInteger('-1')).toBe(-1);
    expect(parseInteger('')).toBeNull();
    expect(parseInteger('0x10')).toBeNull();
    expect(parseInteger('4 VFs')).toBeNull();
  });

  it('reads numa_node -1 as no node', () => {
    expect(parseNumaNode('-1')).toEqual({ ok: true, value: null });
    expect(parseNumaNode('1')).toEqual({ ok: true, value: 1 });
    expect(parseNumaNode('-2')).toEqual({ ok: false });
    expect(parseNumaNode('node0')).toEqual({ ok: false });
  });

  it('reads driver_override "(null)" and empty as none', () => {
    expect(parseDriverOverride('(null)')).toBeNull();
    expect(parseDriverOverride('')).toBeNull();
    expect(parseDriverOverride('vfio-pci')).toBe('vfio-pci');
  });

  it('reads sriov_drivers_autoprobe 1 and 0 only', () => {
    expect(parseFlag('1')).toBe(true);
    expect(parseFlag('0')).toBe(false);
    expect(parseFlag('yes')).toBeNull();
  });

  it('reads a speed of -1, an empty one, and the u32 form of -1 as unknown', () => {
    expect(parseSpeed('1000')).toBe(1000);
    expect(parseSpeed('100000')).toBe(100000);
    expect(parseSpeed('-1')).toBeNull();
    expect(parseSpeed('')).toBeNull();
    expect(parseSpeed('4294967295')).toBeNull();
  });

  it('takes the last component of a link text, trailing slash or not', () => {
    expect(linkBasename('../../../../bus/pci/drivers/nvme')).toBe('nvme');
    expect(linkBasename('../../../devices/pci10000:00/10000:00:04.0/')).toBe('10000:00:04.0');
    expect(linkBasename('../0000:05:00.0')).toBe('0000:05:00.0');
    expect(linkBasename('vfio-pci')).toBe('vfio-pci');
  });

  it('reads a group id from a link basename', () => {
    expect(parseGroupId('14')).toBe(14);
    expect(parseGroupId('dmar0')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { splitPropertyString } from './pvePropertyString';

describe('splitPropertyString', () => {
  it('reads the default-key part and key=value parts in order', () => {
    expect(splitPropertyString('0000:01:00.1,pcie=1,rombar=0')).toEqual([
      { key: null, value: '0000:01:00.1' },
      { key: 'pcie', value: '1' },
      { key: 'rombar', value: '0' },
    ]);
  });
  it('keeps semicolon lists whole: they are one value', () => {
    expect(splitPropertyString('host=0000:01:00.1;0000:01:00.2,x-vga=1')).toEqual([
      { key: 'host', value: '0000:01:00.1;0000:01:00.2' },
      { key: 'x-vga', value: '1' },
    ]);
  });
  it('does not split inside double quotes and drops the quotes', () => {
    expect(splitPropertyString('node=pve1,path=0000:01:00.0,description="left port, rack 4"')).toEqual([
      { key: 'node', value: 'pve1' },
      { key: 'path', value: '0000:01:00.0' },
      { key: 'description', value: 'left port, rack 4' },
    ]);
  });
  it('skips empty parts from a trailing comma', () => {
    expect(splitPropertyString('mapping=nic-vfs,')).toEqual([{ key: 'mapping', value: 'nic-vfs' }]);
  });
});

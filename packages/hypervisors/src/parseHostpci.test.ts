import { describe, expect, it } from 'vitest';
import { parseHostpci } from './parseHostpci';

describe('parseHostpci', () => {
  it('reads a bare address as the default host key, with its options', () => {
    expect(parseHostpci('0000:01:00.1,pcie=1,rombar=0')).toEqual({
      ok: true,
      value: { host: ['0000:01:00.1'], mapping: null, options: { pcie: '1', rombar: '0' } },
    });
  });
  it('reads the explicit host= form the same way', () => {
    expect(parseHostpci('host=0000:01:00.1,x-vga=1')).toEqual({
      ok: true,
      value: { host: ['0000:01:00.1'], mapping: null, options: { 'x-vga': '1' } },
    });
  });
  it('gives a legacy id without domain the domain 0000', () => {
    expect(parseHostpci('01:00.0')).toMatchObject({ ok: true, value: { host: ['0000:01:00.0'] } });
  });
  it('keeps an id without function as the whole device (a slot)', () => {
    expect(parseHostpci('0000:3b:00,pcie=1,x-vga=1')).toMatchObject({ ok: true, value: { host: ['0000:3b:00'] } });
  });
  it('reads a ;-list of virtual functions as several devices of one entry', () => {
    expect(parseHostpci('0000:01:02.1;0000:01:02.2;01:02.3')).toMatchObject({
      ok: true,
      value: { host: ['0000:01:02.1', '0000:01:02.2', '0000:01:02.3'] },
    });
  });
  it('reads mapping= without host', () => {
    expect(parseHostpci('mapping=nic-vfs,pcie=1')).toEqual({
      ok: true,
      value: { host: null, mapping: 'nic-vfs', options: { pcie: '1' } },
    });
  });
  it('refuses host and mapping together, neither of them, and ids that are not PCI ids', () => {
    expect(parseHostpci('0000:01:00.1,mapping=x').ok).toBe(false);
    expect(parseHostpci('pcie=1').ok).toBe(false);
    expect(parseHostpci('0000:01:00.9').ok).toBe(false);
    expect(parseHostpci('0000:01:00.1;gpu').ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { DomainXml } from './parseDomainXml';
import { libvirtAssignments } from './libvirtAssignments';

const domain = (addresses: string[]): DomainXml => ({
  name: 'db-primary',
  uuid: null,
  devices: addresses.map((address) => ({ address, kind: 'hostdev', mac: null })),
  problems: [],
});

describe('libvirtAssignments', () => {
  it('counts nothing as pending in a stopped domain', () => {
    expect(libvirtAssignments('db-primary', domain(['0000:3b:02.1']), null)).toEqual([
      { target: '0000:3b:02.1', vmId: 'db-primary', vmName: 'db-primary', via: 'hostdev', pending: false, pendingChange: null },
    ]);
  });
  it('marks what differs between the live and the persistent definition of a running domain as pending', () => {
    const result = libvirtAssignments('db-primary', domain(['0000:3b:02.1', '0000:3b:02.3']), domain(['0000:3b:02.1', '0000:3b:02.2']));
    expect(result.map((a) => [a.target, a.pending, a.pendingChange])).toEqual([
      ['0000:3b:02.1', false, null],
      ['0000:3b:02.2', true, 'detach'],
      ['0000:3b:02.3', true, 'attach'],
    ]);
  });
});

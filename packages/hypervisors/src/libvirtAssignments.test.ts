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
      {
        target: '0000:3b:02.1', vmId: 'db-primary', vmName: 'db-primary', via: 'hostdev', pending: false, pendingChange: null,
        config: { path: '/etc/libvirt/qemu/db-primary.xml', line: "<hostdev> <address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/>" },
      },
    ]);
  });
  it('names a device only the live definition has by the command that shows it: no file the admin edits holds it', () => {
    const [live] = libvirtAssignments('db-primary', domain([]), domain(['0000:3b:02.1']));
    expect(live?.config?.path).toBe('virsh dumpxml db-primary');
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

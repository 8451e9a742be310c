import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VmState } from '@vfmap/model';
import { parseQemuConf } from './parseQemuConf';
import { parsePciMapping } from './parsePciMapping';
import { proxmoxAssignments, type MappingContext } from './proxmoxAssignments';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../test/fixtures/pve', name), 'utf8');
const mappings = parsePciMapping(fixture('pci.cfg'));
const ctx: MappingContext = { node: 'pve1', mappings, reservations: [] };

function vm(text: string, state: VmState = 'running', vmid = '100') {
  return { vmid, name: 'web01', state, conf: parseQemuConf(text), path: `etc/pve/qemu-server/${vmid}.conf` };
}

/** The evidence a drift finding names: the config file as the host shows it. */
const CONF = '/etc/pve/qemu-server/100.conf';

describe('proxmoxAssignments', () => {
  it('reads current, mapped and [PENDING] devices of a running VM, and nothing from its snapshot', () => {
    const { assignments, warnings } = proxmoxAssignments(vm(fixture('100.conf')), ctx);
    expect(assignments).toEqual([
      { target: '0000:3b:02.1', vmId: '100', vmName: 'web01', via: 'hostpci0', pending: true, pendingChange: 'detach', config: { path: CONF, line: 'hostpci0: 0000:3b:02.1,pcie=1' } },
      { target: '0000:3b:02.4', vmId: '100', vmName: 'web01', via: 'hostpci1', pending: false, pendingChange: null, config: { path: CONF, line: 'hostpci1: mapping=nic-vfs,pcie=1' } },
      { target: '0000:3b:02.3', vmId: '100', vmName: 'web01', via: 'hostpci2', pending: true, pendingChange: 'attach', config: { path: CONF, line: '[PENDING] hostpci2: 0000:3b:02.3,pcie=1' } },
    ]);
    expect(assignments.map((a) => a.target)).not.toContain('0000:3b:02.7');
    expect(warnings).toEqual([]);
  });
  it('resolves a mapping through the entry of this node only', () => {
    const { assignments } = proxmoxAssignments(vm('hostpci0: mapping=nic-vfs\n'), { ...ctx, node: 'pve2' });
    expect(assignments.map((a) => a.target)).toEqual(['0000:5e:02.0']);
  });
  it('holds every function of a whole-device entry as one slot target', () => {
    const { assignments } = proxmoxAssignments(vm('hostpci0: 0000:01:00,pcie=1,x-vga=1\nhostpci1: mapping=gpu-a4000\n'), ctx);
    expect(assignments.map((a) => [a.via, a.target])).toEqual([
      ['hostpci0', '0000:01:00'],
      ['hostpci1', '0000:01:00'],
    ]);
  });
  it('holds each device of a ;-list', () => {
    const { assignments } = proxmoxAssignments(vm('hostpci0: 0000:3b:02.1;0000:3b:02.2\nhostpci1: mapping=nic-pair\n'), ctx);
    expect(assignments.map((a) => a.target)).toEqual(['0000:3b:02.1', '0000:3b:02.2', '0000:3b:03.0', '0000:3b:03.1']);
  });
  it('keeps a device held when [PENDING] changes only its options', () => {
    const { assignments } = proxmoxAssignments(vm('hostpci0: 0000:3b:02.1\n\n[PENDING]\nhostpci0: 0000:3b:02.1,pcie=1\n'), ctx);
    expect(assignments).toEqual([expect.objectContaining({ target: '0000:3b:02.1', pending: false, pendingChange: null })]);
  });
  it('shows a replaced device as leaving and the new one as coming', () => {
    const { assignments } = proxmoxAssignments(vm('hostpci0: 0000:3b:02.1\n\n[PENDING]\nhostpci0: 0000:3b:02.2\n'), ctx);
    expect(assignments.map((a) => [a.target, a.pendingChange])).toEqual([
      ['0000:3b:02.1', 'detach'],
      ['0000:3b:02.2', 'attach'],
    ]);
  });
  it('names the pool device a running VM reserved, and none for a stopped one', () => {
    const reservations = [{ address: '0000:3b:02.6', vmid: '100', pid: 4242 }];
    const running = proxmoxAssignments(vm('hostpci0: mapping=vf-pool\n', 'running'), { ...ctx, reservations });
    expect(running.assignments.map((a) => a.target)).toEqual(['0000:3b:02.6']);
    const stopped = proxmoxAssignments(vm('hostpci0: mapping=vf-pool\n', 'stopped'), { ...ctx, reservations });
    expect(stopped.assignments).toEqual([]);
    expect(stopped.warnings).toEqual([expect.objectContaining({ code: 'mapping-pool', path: 'etc/pve/qemu-server/100.conf' })]);
    // The pool itself, for the drift findings: a running process holding one of its members is its pick.
    expect(stopped.pools).toEqual([
      { vmId: '100', vmName: 'web01', via: 'hostpci0', mapping: 'vf-pool', members: ['0000:3b:02.5', '0000:3b:02.6', '0000:3b:02.7'], config: { path: CONF, line: 'hostpci0: mapping=vf-pool' } },
    ]);
  });
  it('warns about mappings it cannot resolve and entries it cannot read, and keeps the rest', () => {
    const { assignments, warnings } = proxmoxAssignments(
      vm('hostpci0: mapping=no-such\nhostpci1: 0000:3b:02.9\nhostpci2: 0000:3b:02.2\nhostpci3: mapping=nic-vfs\n'),
      { ...ctx, node: 'pve3' },
    );
    expect(assignments.map((a) => a.target)).toEqual(['0000:3b:02.2']);
    expect(warnings.map((w) => w.code)).toEqual(['mapping-unresolved', 'vm-config', 'mapping-unresolved']);
  });
  it('ignores hostpci keys beyond the 16 qemu-server allows', () => {
    expect(proxmoxAssignments(vm('hostpci16: 0000:3b:02.1\n'), ctx).assignments).toEqual([]);
  });
});

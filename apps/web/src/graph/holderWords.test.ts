import type { Holder, VmState } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { holderSourceWords } from './holderWords';

const vms: Record<string, { name: string; state: VmState }> = {
  '101': { name: 'web-01', state: 'running' },
  '102': { name: 'db-01', state: 'running' },
  '120': { name: 'build-runner', state: 'stopped' },
};
const vmOf = (id: string) => vms[id] ?? null;
const base: Holder = { vmId: '101', vmName: 'web-01', via: 'hostpci0', pending: false };

describe('holderSourceWords', () => {
  it('says nothing when the agent does not say where the holder comes from', () => {
    expect(holderSourceWords(base, vmOf)).toBeNull();
  });

  it('says a holder is both configured and held by the running process', () => {
    expect(holderSourceWords({ ...base, source: 'both' }, vmOf)).toBe('Named in its configuration, and its running process holds it.');
  });

  it('says a running VM named by config alone was not found holding it, and a stopped one only that it is configured', () => {
    expect(holderSourceWords({ ...base, source: 'config' }, vmOf)).toBe('Named in its configuration; its running process was not found holding it.');
    expect(holderSourceWords({ ...base, vmId: '120', vmName: 'build-runner', source: 'config' }, vmOf)).toBe('Named in its configuration.');
  });

  it('names the VM whose configuration claims the device when another VM runs with it', () => {
    expect(holderSourceWords({ ...base, source: 'running', configuredVmId: '102' }, vmOf)).toBe(
      'Its running process holds it, while the configuration of VM 102 (db-01) names it.',
    );
    expect(holderSourceWords({ ...base, source: 'running', configuredVmId: '999' }, vmOf)).toBe('Its running process holds it, while the configuration of VM 999 names it.');
  });

  it('says a hand-started or hot-plugged holder is in no configuration', () => {
    expect(holderSourceWords({ ...base, source: 'running', configuredVmId: null }, vmOf)).toBe('Its running process holds it; no VM configuration names it.');
  });

  it('adds that a group-wide hold may be on another member', () => {
    expect(holderSourceWords({ ...base, source: 'running', ambiguous: true }, vmOf)).toBe(
      "Its running process holds it; no VM configuration names it. The process holds the device's whole IOMMU group, which others share: it may hold another member instead.",
    );
  });
});

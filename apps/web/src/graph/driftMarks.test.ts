import type { DriftFinding } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { driftFinding } from '../test/topologyBuilder';
import { driftBadgePath, driftByAddress, driftMarkLabel, driftOfVm, driftTarget, sortFindings, worstSeverity } from './driftMarks';

const held = driftFinding({ kind: 'held-not-configured', severity: 'warn', address: '0000:3b:02.0', vmId: '101', title: 'VM 101 holds 0000:3b:02.0, which no config names' });
const stale = driftFinding({ kind: 'stale-reservation', severity: 'info', address: '0000:3b:02.0', vmId: '102', title: 'stale reservation of 0000:3b:02.0' });
const missing = driftFinding({ kind: 'config-names-missing-vf', severity: 'fail', address: '0000:3b:0f.7', vmId: '110', title: 'VM 110 names 0000:3b:0f.7, which does not exist' });
const shared = driftFinding({ kind: 'group-shared-with-another-vm', severity: 'fail', address: '0000:d8:10.0', vmId: '101', otherVmId: '102', title: 'group shared' });

describe('drift marks', () => {
  it('orders findings worst first, then by address', () => {
    expect(sortFindings([stale, held, shared, missing]).map((f) => f.kind)).toEqual([
      'config-names-missing-vf',
      'group-shared-with-another-vm',
      'held-not-configured',
      'stale-reservation',
    ]);
  });

  it('groups the findings by the address they concern, worst first', () => {
    const byAddress = driftByAddress([stale, missing, held]);
    expect(byAddress.get('0000:3b:02.0')!.map((f) => f.kind)).toEqual(['held-not-configured', 'stale-reservation']);
    expect(byAddress.get('0000:3b:0f.7')).toEqual([missing]);
    expect(byAddress.has('0000:3b:02.1')).toBe(false);
  });

  it('takes the worst severity of a set for the mark, none of nothing', () => {
    expect(worstSeverity([stale, held])).toBe('warn');
    expect(worstSeverity([stale, missing, held])).toBe('fail');
    expect(worstSeverity([])).toBeNull();
  });

  it('finds a VM in the findings about it and in those where it is the other VM', () => {
    expect(driftOfVm([held, stale, shared, missing], '102')).toEqual([shared, stale]);
  });

  it('points a finding at the VF or PF the graph draws, and nowhere for a device it lacks', () => {
    const drawn = { vfByAddress: new Map([['0000:3b:02.0', 1]]), pfByAddress: new Map([['0000:3b:00.0', 1]]) };
    expect(driftTarget(held, drawn)).toBe('vf:0000:3b:02.0');
    expect(driftTarget({ ...held, address: '0000:3b:00.0' }, drawn)).toBe('pf:0000:3b:00.0');
    expect(driftTarget(missing, drawn)).toBeNull();
  });

  it("labels a mark with its one finding's title, or the count and the worst", () => {
    expect(driftMarkLabel([held])).toBe('Config and reality differ: VM 101 holds 0000:3b:02.0, which no config names');
    expect(driftMarkLabel([held, stale] as DriftFinding[])).toBe('Config and reality differ: 2 findings, worst: warn');
    expect(driftMarkLabel([])).toBe('');
  });

  it('draws a diamond for fail, a triangle for warn and a circle for info', () => {
    expect(driftBadgePath('fail', 10, 10, 4)).toBe('M10,6L14,10L10,14L6,10Z');
    expect(driftBadgePath('warn', 10, 10, 4)).toBe('M10,6L14,13.2L6,13.2Z');
    expect(driftBadgePath('info', 10, 10, 4)).toBe('M6,10a4,4 0 1,0 8,0a4,4 0 1,0 -8,0');
  });
});

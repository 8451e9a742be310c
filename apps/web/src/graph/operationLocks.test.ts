import { describe, expect, it } from 'vitest';
import type { OperationProgress } from '../api/useHostEvents';
import { labTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';
import { pfBusyReason, vfBusyReason } from './operationLocks';

const model = buildGraphModel(labTopology());
const op = (kind: OperationProgress['kind'], target: string, finished: OperationProgress['finished'] = null): [string, OperationProgress] => [
  target,
  { operationId: 'op', kind, target, startedAt: '2025-03-14T09:00:00Z', finished },
];

describe('pfBusyReason', () => {
  it('holds the count while the count changes, or while one of its VFs is assigned', () => {
    expect(pfBusyReason(model, new Map([op('numvfs', '0000:3b:00.0')]), '0000:3b:00.0')).toBe('The VF count of this PF is being changed.');
    expect(pfBusyReason(model, new Map([op('assign', '0000:3b:12.3')]), '0000:3b:00.1')).toBe('VF 3 of this PF is being assigned; the count can change once that is done.');
  });

  it('lets it go once the operation finished, and ignores other PFs', () => {
    const done = op('numvfs', '0000:3b:00.0', { result: 'ok', at: '2025-03-14T09:00:02Z' });
    expect(pfBusyReason(model, new Map([done]), '0000:3b:00.0')).toBeNull();
    expect(pfBusyReason(model, new Map([op('numvfs', '0000:af:00.0')]), '0000:3b:00.0')).toBeNull();
  });
});

describe('vfBusyReason', () => {
  it('holds a VF while it is assigned or released, or while its PF\'s count changes', () => {
    expect(vfBusyReason(model, new Map([op('release', '0000:3b:12.3')]), '0000:3b:12.3')).toBe('This VF is being released.');
    expect(vfBusyReason(model, new Map([op('numvfs', '0000:3b:00.1')]), '0000:3b:12.3')).toBe('The VF count of its PF is being changed.');
  });

  it('does not hold a VF for work on its siblings: the agent queues them', () => {
    expect(vfBusyReason(model, new Map([op('assign', '0000:3b:12.4')]), '0000:3b:12.3')).toBeNull();
  });
});

describe('the words for the issue-14 writes', () => {
  it('says what runs: new settings or a driver on a VF, a prepare or re-apply on its PF', () => {
    expect(vfBusyReason(model, new Map([op('vfconfig', '0000:3b:12.3')]), '0000:3b:12.3')).toBe('This VF is being given new settings.');
    expect(pfBusyReason(model, new Map([op('vfdriver', '0000:3b:12.3')]), '0000:3b:00.1')).toBe('VF 3 of this PF is being bound to another driver; the count can change once that is done.');
    expect(pfBusyReason(model, new Map([op('prepare', '0000:3b:00.1')]), '0000:3b:00.1')).toBe('VFs are being prepared for VMs on this PF.');
    expect(vfBusyReason(model, new Map([op('reapply', '0000:3b:00.1')]), '0000:3b:12.3')).toBe('The kept state of its PF is being re-applied.');
  });
});

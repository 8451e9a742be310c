import { describe, expect, it } from 'vitest';
import { mergeOperations } from './mergeOperations';
import type { OperationProgress } from './useHostEvents';

const T0 = Date.parse('2025-03-14T09:00:00Z');

describe('mergeOperations', () => {
  it('shows this page\'s own write on its strip while no event reports it', () => {
    const merged = mergeOperations(new Map(), [{ kind: 'numvfs', target: '0000:3b:00.0', submittedAt: T0 }]);
    expect(merged.get('0000:3b:00.0')).toMatchObject({ kind: 'numvfs', finished: null, startedAt: '2025-03-14T09:00:00.000Z' });
  });

  it('lets the agent\'s event speak for a write it reported', () => {
    const reported: OperationProgress = { operationId: 'op-1', kind: 'numvfs', target: '0000:3b:00.0', startedAt: '2025-03-14T09:00:00.120Z', finished: null };
    const events = new Map([[reported.target, reported]]);
    const merged = mergeOperations(events, [{ kind: 'numvfs', target: '0000:3b:00.0', submittedAt: T0 }]);
    expect(merged).toBe(events);
  });

  it('does not take an older operation\'s result on the same target for this write', () => {
    const older: OperationProgress = {
      operationId: 'op-0',
      kind: 'numvfs',
      target: '0000:3b:00.0',
      startedAt: '2025-03-14T08:58:00Z',
      finished: { result: 'ok', at: '2025-03-14T08:58:02Z' },
    };
    const merged = mergeOperations(new Map([[older.target, older]]), [{ kind: 'numvfs', target: '0000:3b:00.0', submittedAt: T0 }]);
    expect(merged.get('0000:3b:00.0')).toMatchObject({ finished: null });
  });
});

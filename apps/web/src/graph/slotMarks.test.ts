import { describe, expect, it } from 'vitest';
import type { CellBox } from './graphLayout';
import { slotMarks } from './slotMarks';

function cell(x: number, state: CellBox['state']) {
  return { x: x * 20, y: 0, state };
}

describe('slotMarks', () => {
  it('puts one dot on every free slot and hatching on every unavailable one, nothing on held ones', () => {
    const marks = slotMarks([cell(0, 'free'), cell(1, 'assigned'), cell(2, 'unavailable'), cell(3, 'free')], 10);
    expect(marks.freeCount).toBe(2);
    expect(marks.free.match(/M/g)).toHaveLength(2);
    expect(marks.free).toContain('M3.3,5a1.7');
    expect(marks.free).toContain('M63.3,5a');
    expect(marks.unavailable).toBe('M40,5L45,0M40,10L50,0M45,10L50,5');
  });

  it('draws nothing for a strip with no free or unavailable slot', () => {
    expect(slotMarks([cell(0, 'assigned')], 10)).toEqual({ free: '', unavailable: '', freeCount: 0 });
  });
});

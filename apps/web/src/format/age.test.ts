import { describe, expect, it } from 'vitest';
import { ageWords } from './age';

describe('ageWords', () => {
  it('says how long ago, in the unit a person would use', () => {
    expect(ageWords(0)).toBe('just now');
    expect(ageWords(4.4)).toBe('just now');
    expect(ageWords(42)).toBe('42 s ago');
    expect(ageWords(60)).toBe('1 min ago');
    expect(ageWords(200)).toBe('3 min ago');
    expect(ageWords(3599)).toBe('59 min ago');
    expect(ageWords(7300)).toBe('2 h ago');
    expect(ageWords(47 * 3600)).toBe('47 h ago');
    expect(ageWords(200_000)).toBe('2 days ago');
  });

  it('reads a negative age (clocks apart) as now', () => {
    expect(ageWords(-30)).toBe('just now');
  });
});

import { describe, expect, it } from 'vitest';
import { addressSpan, indexRanges, joinWords, listSome } from './ranges';

describe('indexRanges', () => {
  it('collapses consecutive indexes into runs and keeps lone ones', () => {
    expect(indexRanges([0, 1, 2, 3, 7, 9, 10, 11, 12])).toBe('0–3, 7, 9–12');
  });

  it('names a run of two as two numbers, sorts, and drops repeats', () => {
    expect(indexRanges([5, 4, 4, 9])).toBe('4, 5, 9');
  });

  it('says nothing for no indexes', () => {
    expect(indexRanges([])).toBe('');
  });
});

describe('listSome', () => {
  it('lists a few in full and counts the rest', () => {
    expect(listSome(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listSome(['a', 'b', 'c', 'd', 'e', 'f'], 3)).toBe('a, b, c and 3 more');
  });
});

describe('joinWords', () => {
  it('joins with commas and a final "and"', () => {
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b'])).toBe('a and b');
  });
});

describe('addressSpan', () => {
  it('gives the ends of a long list and a short list whole', () => {
    expect(addressSpan(['0000:18:01.0', '0000:18:01.1', '0000:18:02.7'])).toBe('0000:18:01.0 … 0000:18:02.7');
    expect(addressSpan(['0000:18:01.0', '0000:18:01.1'])).toBe('0000:18:01.0, 0000:18:01.1');
  });
});

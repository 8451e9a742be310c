import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('csv', () => {
  it('leaves plain fields alone and writes null as empty', () => {
    expect(csvField('0000:3b:02.0')).toBe('0000:3b:02.0');
    expect(csvField(3)).toBe('3');
    expect(csvField(null)).toBe('');
  });

  it('quotes commas, quotes, newlines and edge spaces, doubling quotes', () => {
    expect(csvField('Intel Corporation, Inc.')).toBe('"Intel Corporation, Inc."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
  });

  it('writes a header and one CRLF-ended line per row', () => {
    expect(toCsv(['a', 'b'], [['1', null], ['x,y', 2]])).toBe('a,b\r\n1,\r\n"x,y",2\r\n');
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });
});

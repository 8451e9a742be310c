import { describe, expect, it } from 'vitest';
import { parseKernelBool } from './parseKernelBool';

describe('parseKernelBool (kstrtobool)', () => {
  it.each([
    ['1', true],
    ['1\n', true],
    ['y', true],
    ['Yes', true],
    ['on', true],
    ['0', false],
    ['n', false],
    ['off', false],
  ])('reads %j as %s', (text, value) => {
    expect(parseKernelBool(text)).toBe(value);
  });

  it.each(['maybe', '2', '', 'o', 'ox', ' 1'])('refuses %j', (text) => {
    expect(parseKernelBool(text)).toBeNull();
  });
});

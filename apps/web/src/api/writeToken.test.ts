import { beforeEach, describe, expect, it } from 'vitest';
import { cleanToken, forgetStoredToken, readStoredToken, storeToken, TOKEN_KEY } from './writeToken';

beforeEach(() => window.sessionStorage.clear());

describe('the kept write token', () => {
  it('is kept in the tab\'s sessionStorage and forgotten on demand', () => {
    expect(readStoredToken(window.sessionStorage)).toBeNull();
    storeToken(window.sessionStorage, 'abc-0123456789abcdef');
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe('abc-0123456789abcdef');
    expect(readStoredToken(window.sessionStorage)).toBe('abc-0123456789abcdef');
    forgetStoredToken(window.sessionStorage);
    expect(readStoredToken(window.sessionStorage)).toBeNull();
  });

  it('works without storage: nothing kept, nothing thrown', () => {
    const locked = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as Storage;
    expect(() => storeToken(locked, 'x')).not.toThrow();
    expect(readStoredToken(locked)).toBeNull();
    expect(readStoredToken(null)).toBeNull();
  });

  it('takes a pasted token without surrounding whitespace or a "Bearer " prefix', () => {
    expect(cleanToken('  Bearer abc-0123456789abcdef\n')).toBe('abc-0123456789abcdef');
  });
});

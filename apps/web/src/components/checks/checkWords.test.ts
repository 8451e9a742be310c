import type { Check } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { countWords, sortChecks } from './checkWords';

const check = (id: string, status: Check['status'], scope: Check['scope'] = 'host'): Check => ({
  id,
  scope,
  target: scope === 'host' ? null : '0000:18:00.0',
  status,
  title: id,
  evidence: [],
  why: '',
  fix: { proxmox: '', debian: '' },
});

describe('checkWords', () => {
  it('sorts worst first, host checks before PF checks of the same status, else as sent', () => {
    const sorted = sortChecks([check('a', 'ok'), check('b', 'warn', 'pf'), check('c', 'fail', 'pf'), check('d', 'warn'), check('e', 'unknown'), check('f', 'fail')]);
    expect(sorted.map((c) => c.id)).toEqual(['f', 'c', 'd', 'b', 'e', 'a']);
  });

  it('counts each status present, in words', () => {
    expect(countWords([check('a', 'fail'), check('b', 'warn'), check('c', 'warn'), check('d', 'ok')])).toBe('1 failing, 2 warnings, 1 ok');
    expect(countWords([check('a', 'unknown')])).toBe('1 unknown');
  });
});

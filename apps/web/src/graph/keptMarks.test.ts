import type { PfPersistence } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { keptMarksOf } from './keptMarks';

const base: PfPersistence = {
  pf: '0000:3b:00.0',
  interface: 'ens1f0',
  desired: null,
  matches: null,
  differences: [],
  keptBy: { mechanism: 'none', path: null, written: false, initramfs: false, notKept: [], note: '' },
  lostAtReboot: false,
  owners: [],
  warnings: [],
};

describe('kept marks', () => {
  it('marks a PF lost at reboot, one that differs with the evidence, and nothing else', () => {
    const marks = keptMarksOf({
      host: 'h',
      pfs: [
        { ...base, lostAtReboot: true },
        { ...base, pf: '0000:3b:00.1', matches: false, differences: [{ what: 'count', desired: '4', live: '0' }] },
        { ...base, pf: '0000:af:00.0', matches: true },
      ],
    });
    expect(marks.get('0000:3b:00.0')).toMatchObject({ kind: 'lost', text: 'lost at reboot', title: "Nothing keeps ens1f0's VFs at boot." });
    expect(marks.get('0000:3b:00.1')).toMatchObject({ kind: 'differs', title: 'count: kept 4, live 0' });
    expect(marks.has('0000:af:00.0')).toBe(false);
    expect(keptMarksOf(undefined).size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { labTopology, largeTopology } from './fixtures';

describe('fixtures', () => {
  it('place E810 port 0 VFs from offset 16, spilling over device numbers', () => {
    const pf = labTopology().pfs[0]!;
    expect(pf.vfs[0]!.address).toBe('0000:3b:02.0');
    expect(pf.vfs[63]!.address).toBe('0000:3b:09.7');
  });
  it('give the large profile 2048 VFs', () => {
    expect(largeTopology().pfs.reduce((n, pf) => n + pf.vfs.length, 0)).toBe(2048);
  });
});

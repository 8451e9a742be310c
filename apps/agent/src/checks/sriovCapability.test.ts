import { describe, expect, it } from 'vitest';
import { sriovCapability } from './sriovCapability';

/** A 4 KiB config space with the given extended capabilities chained from 0x100: [offset, id, body]. */
function configWith(caps: Array<{ at: number; id: number; next: number; total?: number; initial?: number }>): Buffer {
  const b = Buffer.alloc(4096);
  b.writeUInt16LE(0x8086, 0);
  for (const cap of caps) {
    b.writeUInt32LE((cap.id | (1 << 16) | (cap.next << 20)) >>> 0, cap.at);
    if (cap.total !== undefined) b.writeUInt16LE(cap.total, cap.at + 0x0e);
    if (cap.initial !== undefined) b.writeUInt16LE(cap.initial, cap.at + 0x0c);
  }
  return b;
}

describe('sriovCapability', () => {
  it('finds SR-IOV after other extended capabilities (AER at 0x100, ARI at 0x150, SR-IOV at 0x160)', () => {
    const config = configWith([
      { at: 0x100, id: 0x0001, next: 0x150 },
      { at: 0x150, id: 0x000e, next: 0x160 },
      { at: 0x160, id: 0x0010, next: 0, total: 64, initial: 64 },
    ]);
    expect(sriovCapability(config)).toEqual({ kind: 'present', offset: 0x160, initialVfs: 64, totalVfs: 64 });
  });

  it('reads TotalVFs 0: SR-IOV switched off in firmware', () => {
    expect(sriovCapability(configWith([{ at: 0x100, id: 0x0010, next: 0, total: 0 }]))).toMatchObject({ kind: 'present', totalVfs: 0 });
  });

  it('says absent where the list ends without SR-IOV, or is empty', () => {
    expect(sriovCapability(configWith([{ at: 0x100, id: 0x0001, next: 0 }]))).toEqual({ kind: 'absent' });
    expect(sriovCapability(Buffer.alloc(4096))).toEqual({ kind: 'absent' });
  });

  it('stops on a list that loops', () => {
    expect(sriovCapability(configWith([{ at: 0x100, id: 0x0001, next: 0x140 }, { at: 0x140, id: 0x0002, next: 0x100 }]))).toEqual({ kind: 'absent' });
  });

  it('calls the first 64 bytes (what an unprivileged read gets) and an empty placeholder unreadable', () => {
    expect(sriovCapability(Buffer.alloc(64))).toEqual({ kind: 'unreadable', bytes: 64 });
    expect(sriovCapability(Buffer.alloc(0))).toEqual({ kind: 'unreadable', bytes: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { KernelWriteHung } from './errors';
import { HungWrites } from './hungWrites';

const PF = '0000:18:00.0';
const PATH = '/sys/bus/pci/devices/0000:18:00.0/sriov_numvfs';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('HungWrites', () => {
  it('passes a write that returns in time, and its error, through untouched', async () => {
    const hung = new HungWrites(1000, () => {});
    await hung.within(PF, PATH, '4', Promise.resolve());
    const refused = Object.assign(new Error('EBUSY'), { code: 'EBUSY' });
    await expect(hung.within(PF, PATH, '4', Promise.reject(refused))).rejects.toBe(refused);
    expect(hung.pending).toBe(0);
    expect(() => hung.check(PF)).not.toThrow();
  });

  it('answers 504 when the time is up, refuses the PF with 409 until the write returns, then tells and lets it go', async () => {
    const settled: Array<{ pf: string; ok: boolean }> = [];
    const hung = new HungWrites(50, (pf, outcome) => settled.push({ pf, ok: outcome.ok }));
    const write = deferred();
    const err = await hung.within(PF, PATH, '0', write.promise).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelWriteHung);
    expect(err).toMatchObject({ status: 504, pf: PF, path: PATH, value: '0' });
    expect((err as Error).message).toContain('did not return within 50 ms (ETIMEDOUT)');

    expect(() => hung.check(PF)).toThrow(KernelWriteHung);
    expect(() => hung.check(PF)).toThrow(/has been running for/);
    expect(() => hung.check('0000:18:00.1')).not.toThrow();
    expect(hung.pending).toBe(1);

    write.resolve();
    await write.promise;
    await Promise.resolve();
    expect(settled).toEqual([{ pf: PF, ok: true }]);
    expect(hung.pending).toBe(0);
    expect(() => hung.check(PF)).not.toThrow();
  });

  it('lets the PF go when the hung write finally fails too, and says it failed', async () => {
    const settled: boolean[] = [];
    const hung = new HungWrites(20, (_pf, outcome) => settled.push(outcome.ok));
    const write = deferred();
    await expect(hung.within(PF, PATH, '0', write.promise)).rejects.toBeInstanceOf(KernelWriteHung);
    write.reject(new Error('EIO'));
    await write.promise.catch(() => undefined);
    await Promise.resolve();
    expect(settled).toEqual([false]);
    expect(() => hung.check(PF)).not.toThrow();
  });
});

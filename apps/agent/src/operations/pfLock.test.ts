import { describe, expect, it } from 'vitest';
import { PfLocks } from './pfLock';

/** A promise the test settles by hand, so the order of steps is decided by the test, not by timers. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('PfLocks', () => {
  it('runs tasks on one PF one at a time, in the order they came', async () => {
    const locks = new PfLocks();
    const steps: string[] = [];
    const first = gate();
    const a = locks.run('0000:01:00.0', async () => {
      steps.push('a:start');
      await first.opened;
      steps.push('a:end');
      return 'a';
    });
    const b = locks.run('0000:01:00.0', async () => {
      steps.push('b:start');
      steps.push('b:end');
      return 'b';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(steps).toEqual(['a:start']);
    first.open();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(steps).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it('lets tasks on different PFs run side by side', async () => {
    const locks = new PfLocks();
    const held = gate();
    const steps: string[] = [];
    const a = locks.run('0000:01:00.0', async () => {
      steps.push('a:start');
      await held.opened;
    });
    const b = locks.run('0000:02:00.0', async () => {
      steps.push('b:ran');
    });
    await b;
    expect(steps).toEqual(['a:start', 'b:ran']);
    expect(locks.active).toBe(1);
    held.open();
    await a;
    expect(locks.active).toBe(0);
  });

  it('goes on with the queue after a task throws, and forgets idle PFs', async () => {
    const locks = new PfLocks();
    const failed = locks.run('0000:01:00.0', async () => {
      throw new Error('EBUSY');
    });
    const next = locks.run('0000:01:00.0', async () => 'next');
    await expect(failed).rejects.toThrow('EBUSY');
    expect(await next).toBe('next');
    await new Promise((resolve) => setImmediate(resolve));
    expect(locks.pending).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter';

describe('createLimiter', () => {
  it('never runs more than its maximum at once, and runs every task', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let most = 0;
    const task = (i: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 1 + (i % 4)));
      running -= 1;
      if (i === 5) throw new Error('five');
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => limit(task(i))));
    expect(most).toBe(3);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(19);
    expect(results[5]).toMatchObject({ status: 'rejected' });
  });
});

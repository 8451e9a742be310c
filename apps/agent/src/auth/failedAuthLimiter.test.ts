import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from './failedAuthLimiter';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the failed-authentication limiter', () => {
  it('refuses an address after maxFailures failures within the window, until the oldest leaves it', () => {
    const c = clock();
    const limiter = new FailedAuthLimiter({ maxFailures: 3, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.refusal('192.0.2.1')).toBeNull();
      limiter.fail('192.0.2.1');
      c.advance(10_000);
    }
    // Failures at 0, 10 and 20 s; now 30 s: the first leaves the window at 60 s.
    expect(limiter.refusal('192.0.2.1')).toMatchObject({ retryAfterSeconds: 30 });
    c.advance(29_000);
    expect(limiter.refusal('192.0.2.1')).toMatchObject({ retryAfterSeconds: 1 });
    c.advance(1_000);
    expect(limiter.refusal('192.0.2.1')).toBeNull();
  });

  it('keeps other addresses out of it, and refusals do not extend the lockout', () => {
    const c = clock();
    const limiter = new FailedAuthLimiter({ maxFailures: 2, windowMs: 60_000, now: c.now });
    limiter.fail('192.0.2.1');
    limiter.fail('192.0.2.1');
    expect(limiter.refusal('192.0.2.2')).toBeNull();
    for (let i = 0; i < 50; i++) expect(limiter.refusal('192.0.2.1')).not.toBeNull();
    c.advance(60_000);
    expect(limiter.refusal('192.0.2.1')).toBeNull();
  });

  it('audits the first maxFailures refusals of a lockout and counts the rest', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 2, windowMs: 60_000, now: () => 0 });
    limiter.fail('192.0.2.1');
    limiter.fail('192.0.2.1');
    expect([1, 2, 3, 4].map(() => limiter.refusal('192.0.2.1'))).toMatchObject([
      { audited: true, unaudited: 0 },
      { audited: true, unaudited: 0 },
      { audited: false, unaudited: 1 },
      { audited: false, unaudited: 2 },
    ]);
  });

  it('remembers at most maxAddresses, forgetting those out of the window first', () => {
    const c = clock();
    const limiter = new FailedAuthLimiter({ maxFailures: 2, windowMs: 1_000, maxAddresses: 100, now: c.now });
    limiter.fail('198.51.100.1');
    limiter.fail('198.51.100.1');
    c.advance(10);
    for (let i = 0; i < 5_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // The most recent ones are kept.
    limiter.fail('10.0.19.135');
    expect(limiter.refusal('10.0.19.135')).not.toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { EventClientLimit } from './eventClientLimit';

describe('the event stream limit', () => {
  it('refuses the stream beyond the limit and takes one again when a slot is given back', () => {
    const limit = new EventClientLimit(3, 10);
    const slots = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((a) => limit.acquire(a));
    expect(slots.every((s) => 'release' in s)).toBe(true);
    expect(limit.acquire('192.0.2.4')).toEqual({ refused: { reason: 'event-streams-full', limit: 3 } });
    (slots[0] as { release: () => void }).release();
    (slots[0] as { release: () => void }).release(); // twice: still one slot
    expect(limit.open).toBe(2);
    expect('release' in limit.acquire('192.0.2.4')).toBe(true);
    expect('refused' in limit.acquire('192.0.2.5')).toBe(true);
  });

  it('gives one address (an IPv6 /64) at most its share, and the others their slots', () => {
    const limit = new EventClientLimit(10, 2);
    expect('release' in limit.acquire('2001:db8::1')).toBe(true);
    expect('release' in limit.acquire('2001:db8::2')).toBe(true);
    expect(limit.acquire('2001:db8::3')).toEqual({ refused: { reason: 'event-streams-per-address', limit: 2 } });
    expect('release' in limit.acquire('2001:db8:0:1::1')).toBe(true);
    expect('release' in limit.acquire('192.0.2.1')).toBe(true);
  });
});

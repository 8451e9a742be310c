import { describe, expect, it } from 'vitest';
import { hostStatusWords } from './hostStatusWords';

describe('hostStatusWords', () => {
  it('says only "ok" of a host that answers', () => {
    expect(hostStatusWords({ status: 'ok', ageSeconds: 3, lastSeen: '2025-03-14T09:00:00Z' })).toEqual({ label: 'ok', age: null });
  });

  it('says how old the numbers of a stale host are', () => {
    expect(hostStatusWords({ status: 'stale', ageSeconds: 180, lastSeen: '2025-03-14T09:00:00Z' })).toEqual({ label: 'stale', age: 'last answer 3 min ago' });
  });

  it('says when an unreachable host last answered, or that it never did', () => {
    expect(hostStatusWords({ status: 'unreachable', ageSeconds: 7300, lastSeen: '2025-03-14T09:00:00Z' })).toEqual({ label: 'unreachable', age: 'last answer 2 h ago' });
    expect(hostStatusWords({ status: 'unreachable', ageSeconds: null, lastSeen: null })).toEqual({ label: 'unreachable', age: 'never answered' });
  });

  it('says nothing of the age of a host that refused this server from the start', () => {
    expect(hostStatusWords({ status: 'unauthorized', ageSeconds: null, lastSeen: null })).toEqual({ label: 'unauthorized', age: null });
    expect(hostStatusWords({ status: 'unauthorized', ageSeconds: 60, lastSeen: '2025-03-14T09:00:00Z' })).toEqual({ label: 'unauthorized', age: 'last answer 1 min ago' });
  });
});

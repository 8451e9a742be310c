import { describe, expect, it } from 'vitest';
import { hostSummary, withFree } from '../test/hostSummaries';
import { hostRank, keepOrder, sortHosts } from './hostOrder';

const ids = (hosts: { id: string }[]) => hosts.map((h) => h.id);

describe('hostRank', () => {
  it('names the status when the host is not ok, and warnings before ok', () => {
    expect(hostRank(hostSummary('a', { status: 'unreachable', counts: null }))).toBe('unreachable');
    expect(hostRank(hostSummary('a', { status: 'unauthorized' }))).toBe('unauthorized');
    expect(hostRank(withFree('a', 3, 2, { status: 'stale' }))).toBe('stale');
    expect(hostRank(withFree('a', 3, 2))).toBe('warnings');
    expect(hostRank(withFree('a', 3, 0))).toBe('ok');
  });
});

describe('sortHosts', () => {
  it('puts unreachable, then unauthorized, then stale, then hosts with warnings before healthy ones', () => {
    const hosts = [
      withFree('ok', 50),
      withFree('warned', 1, 3),
      withFree('stale', 40, 0, { status: 'stale' }),
      hostSummary('refused', { status: 'unauthorized' }),
      hostSummary('dead', { status: 'unreachable', counts: null }),
    ];
    expect(ids(sortHosts(hosts))).toEqual(['dead', 'refused', 'stale', 'warned', 'ok']);
  });

  it('orders healthy hosts most free first', () => {
    expect(ids(sortHosts([withFree('few', 2), withFree('many', 60), withFree('none', 0), withFree('some', 12)]))).toEqual(['many', 'some', 'few', 'none']);
  });

  it('orders hosts with warnings most free first too', () => {
    expect(ids(sortHosts([withFree('w-few', 2, 1), withFree('w-many', 30, 5)]))).toEqual(['w-many', 'w-few']);
  });

  it('keeps hosts with the same problem in name order, whatever their old counts say', () => {
    const hosts = [
      withFree('c', 90, 0, { status: 'unreachable', hostname: 'pve-c' }),
      hostSummary('a', { status: 'unreachable', hostname: 'pve-a', counts: null }),
      withFree('b', 10, 0, { status: 'unreachable', hostname: 'pve-b' }),
    ];
    expect(ids(sortHosts(hosts))).toEqual(['a', 'b', 'c']);
  });

  it('treats a host that never answered as having nothing free', () => {
    const hosts = [hostSummary('silent', { counts: null }), withFree('one', 1)];
    expect(ids(sortHosts(hosts))).toEqual(['one', 'silent']);
  });

  it('breaks ties by hostname, then id, so the order depends on the data alone', () => {
    const hosts = [withFree('z', 5, 0, { hostname: 'same' }), withFree('y', 5, 0, { hostname: 'same' }), withFree('x', 5, 0, { hostname: 'alpha' })];
    expect(ids(sortHosts(hosts))).toEqual(['x', 'y', 'z']);
    expect(ids(sortHosts([...hosts].reverse()))).toEqual(['x', 'y', 'z']);
  });

  it('leaves the list it was given alone', () => {
    const hosts = [withFree('a', 1), withFree('b', 2)];
    sortHosts(hosts);
    expect(ids(hosts)).toEqual(['a', 'b']);
  });
});

describe('keepOrder', () => {
  it('orders the first list as sortHosts does', () => {
    const hosts = [withFree('a', 1, 0), withFree('b', 9, 0)];
    expect(ids(keepOrder([], hosts))).toEqual(['b', 'a']);
  });

  it('moves no tile on a refresh, even when a host turns unreachable or gains free VFs; new hosts come after', () => {
    const refreshed = [withFree('a', 20, 0), hostSummary('b', { status: 'unreachable', counts: null }), withFree('c', 5, 0), withFree('d', 50, 0)];
    expect(ids(keepOrder(['b', 'x', 'a', 'c'], refreshed))).toEqual(['b', 'a', 'c', 'd']);
  });
});

import { describe, expect, it } from 'vitest';
import { PeerUnreachableError } from './peerRequest';
import { PeerStatus } from './peerStatus';

function status(options = {}) {
  let now = 1_000_000;
  const changes: string[] = [];
  const s = new PeerStatus({ now: () => now, staleLimitMs: 30_000, backoffMs: 1000, backoffMaxMs: 8000, staleAfterMs: 60_000, ...options }, (st) => changes.push(st));
  return { s, changes, advance: (ms: number) => (now += ms) };
}
const timeout = new PeerUnreachableError('no answer', 'timeout', true);
const refused = new PeerUnreachableError('ECONNREFUSED', 'refused', false);

describe('PeerStatus', () => {
  it('is unreachable until the first answer, then ok', () => {
    const { s, changes } = status();
    expect(s.current()).toEqual({ status: 'unreachable', problem: 'waiting for its first answer' });
    s.answered();
    expect(s.current().status).toBe('ok');
    expect(changes).toEqual(['ok']);
  });

  it('turns stale when a peer that answered stops answering, and unreachable once that lasts', () => {
    const { s, changes, advance } = status();
    s.answered();
    advance(5000);
    s.failed(timeout);
    expect(s.current()).toEqual({ status: 'stale', problem: 'no answer' });
    advance(31_000);
    s.failed(timeout);
    expect(s.current().status).toBe('unreachable');
    expect(changes).toEqual(['ok', 'stale', 'unreachable']);
    expect(s.secondsSinceSeen()).toBe(36);
  });

  it('is unreachable at once when nothing listens, and unauthorized when its certificate is refused', () => {
    const { s } = status();
    s.answered();
    s.failed(refused);
    expect(s.current().status).toBe('unreachable');
    s.failed(new PeerUnreachableError('fingerprint mismatch', 'tls', false));
    expect(s.current()).toEqual({ status: 'unauthorized', problem: 'fingerprint mismatch' });
  });

  it('backs off: doubling waits up to the cap, and none after an answer', () => {
    const { s, advance } = status();
    s.failed(refused);
    expect(s.mayTry()).toBe(false);
    advance(1000);
    expect(s.mayTry()).toBe(true);
    s.failed(refused);
    advance(1999);
    expect(s.mayTry()).toBe(false);
    advance(1);
    expect(s.mayTry()).toBe(true);
    for (let i = 0; i < 10; i++) s.failed(refused);
    advance(7999);
    expect(s.mayTry()).toBe(false);
    advance(1);
    expect(s.mayTry()).toBe(true);
    s.answered();
    expect(s.mayTry()).toBe(true);
  });

  it('says stale when not asked again for long', () => {
    const { s, advance } = status();
    s.answered();
    advance(61_000);
    expect(s.current().status).toBe('stale');
  });
});

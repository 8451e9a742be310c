import { describe, expect, it } from 'vitest';
import { hostSummary } from './test/hostSummaries';
import { hostToOpen, screenFor } from './hostChoice';

const one = { hosts: [hostSummary('pve1')] };
const three = { hosts: [hostSummary('pve1'), hostSummary('pve2'), hostSummary('pve3')] };
const none = { hosts: [] };

describe('screenFor', () => {
  it('opens the only host of a single agent by default, as before the fleet', () => {
    expect(screenFor(one, { view: 'default' })).toEqual({ kind: 'host', host: 'pve1', select: null });
  });

  it('opens the fleet by default when the server knows several hosts', () => {
    expect(screenFor(three, { view: 'default' })).toEqual({ kind: 'fleet', q: '', unknownHost: null });
  });

  it('opens the fleet when asked, even with one host, with its search', () => {
    expect(screenFor(one, { view: 'fleet', q: 'free' })).toEqual({ kind: 'fleet', q: 'free', unknownHost: null });
  });

  it('opens the host the address names, with its selection', () => {
    expect(screenFor(three, { view: 'host', host: 'pve2', select: '0000:3b:02.1' })).toEqual({ kind: 'host', host: 'pve2', select: '0000:3b:02.1' });
  });

  it('falls back for a host the server does not know: the only host, or the fleet saying which was asked for', () => {
    expect(screenFor(one, { view: 'host', host: 'old-name', select: null })).toEqual({ kind: 'host', host: 'pve1', select: null });
    expect(screenFor(three, { view: 'host', host: 'gone', select: 'x' })).toEqual({ kind: 'fleet', q: '', unknownHost: 'gone' });
  });

  it('says so when the server knows no host', () => {
    expect(screenFor(none, { view: 'default' })).toEqual({ kind: 'empty' });
    expect(screenFor(none, { view: 'host', host: 'x', select: null })).toEqual({ kind: 'empty' });
  });
});

describe('hostToOpen', () => {
  it('names the host whose topology the page draws first, none for the fleet', () => {
    expect(hostToOpen(one, { view: 'default' })).toBe('pve1');
    expect(hostToOpen(three, { view: 'default' })).toBeNull();
    expect(hostToOpen(three, { view: 'host', host: 'pve3', select: null })).toBe('pve3');
    expect(hostToOpen(one, { view: 'fleet', q: '' })).toBeNull();
  });
});

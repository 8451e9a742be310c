import { describe, expect, it } from 'vitest';
import { parseRoute, routeSearch, sameRoute, type Route } from './route';

describe('parseRoute', () => {
  it('reads an empty address as the default view', () => {
    expect(parseRoute('')).toEqual({ view: 'default' });
    expect(parseRoute('?')).toEqual({ view: 'default' });
  });

  it('reads the fleet, with and without a search', () => {
    expect(parseRoute('?view=fleet')).toEqual({ view: 'fleet', q: '' });
    expect(parseRoute('?view=fleet&q=free+E810+numa%3A1')).toEqual({ view: 'fleet', q: 'free E810 numa:1' });
  });

  it('takes a search without a view as the fleet search', () => {
    expect(parseRoute('?q=100G')).toEqual({ view: 'fleet', q: '100G' });
  });

  it('reads a host, and a host with a selection (old ?host= links keep working)', () => {
    expect(parseRoute('?host=pve-lab-01')).toEqual({ view: 'host', host: 'pve-lab-01', select: null });
    expect(parseRoute('?host=pve-lab-01&select=0000:3b:02.1')).toEqual({ view: 'host', host: 'pve-lab-01', select: '0000:3b:02.1' });
    expect(parseRoute('?host=a%20b&select=')).toEqual({ view: 'host', host: 'a b', select: null });
  });

  it("reads a host's search, and no search when it is empty", () => {
    expect(parseRoute('?host=pve-lab-01&q=numa:1+free')).toEqual({ view: 'host', host: 'pve-lab-01', select: null, q: 'numa:1 free' });
    expect(parseRoute('?host=pve-lab-01&q=')).toEqual({ view: 'host', host: 'pve-lab-01', select: null });
    expect(parseRoute('?host=pve-lab-01&q=')).not.toHaveProperty('q');
  });

  it('lets an explicit view=fleet win over a host left in the address', () => {
    expect(parseRoute('?view=fleet&host=pve2')).toEqual({ view: 'fleet', q: '' });
  });

  it('ignores an empty host and views it does not know', () => {
    expect(parseRoute('?host=')).toEqual({ view: 'default' });
    expect(parseRoute('?view=moon')).toEqual({ view: 'default' });
  });
});

describe('routeSearch', () => {
  it("writes a host's search readably, and reads it back", () => {
    const route: Route = { view: 'host', host: 'pve-lab-01', select: '0000:3b:02.1', q: 'numa:1 free speed:>=25G' };
    expect(routeSearch(route)).toBe('?host=pve-lab-01&select=0000:3b:02.1&q=numa:1+free+speed:%3E%3D25G');
    expect(parseRoute(routeSearch(route))).toEqual(route);
    expect(routeSearch({ view: 'host', host: 'h', select: null, q: '' })).toBe('?host=h');
  });

  it('writes each view, keeping colons of PCI addresses readable', () => {
    expect(routeSearch({ view: 'default' })).toBe('');
    expect(routeSearch({ view: 'fleet', q: '' })).toBe('?view=fleet');
    expect(routeSearch({ view: 'fleet', q: 'free E810 numa:1' })).toBe('?view=fleet&q=free+E810+numa:1');
    expect(routeSearch({ view: 'fleet', q: 'E810 on NUMA 1, 100G' })).toBe('?view=fleet&q=E810+on+NUMA+1,+100G');
    expect(routeSearch({ view: 'host', host: 'pve-lab-01', select: '0000:3b:02.1' })).toBe('?host=pve-lab-01&select=0000:3b:02.1');
  });

  it('round-trips through parseRoute, odd characters included', () => {
    const routes: Route[] = [
      { view: 'fleet', q: 'speed:>=25G & host:pve#2 / 50%, +x' },
      { view: 'host', host: 'host with spaces?&=', select: 'vm:101' },
      { view: 'host', host: 'pve2', select: null },
    ];
    for (const r of routes) expect(parseRoute(routeSearch(r))).toEqual(r);
  });

  it('says two routes are the same when their addresses are', () => {
    expect(sameRoute({ view: 'fleet', q: '' }, { view: 'fleet', q: '' })).toBe(true);
    expect(sameRoute({ view: 'host', host: 'a', select: null }, { view: 'host', host: 'a', select: '0000:3b:02.1' })).toBe(false);
  });
});

import { FleetVfList, HostList } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { hostSummaryOf, searchFleetVfs, type FleetEntry } from './fixtureFleet';
import { fleetHosts } from './fleetFixtures';

function entries(): FleetEntry[] {
  const { hosts, options } = fleetHosts();
  const ids = [...Object.keys(hosts), ...Object.keys(options.silent)];
  return ids.map((id) => ({
    id,
    topology: hosts[id],
    silent: options.silent[id],
    state: options.status[id] ?? (options.silent[id] ? { status: options.silent[id].status ?? 'unreachable', ageSeconds: null } : undefined),
  }));
}
const search = (query: string) => FleetVfList.parse(searchFleetVfs(entries(), new URLSearchParams(query)));

describe('the fake agent\'s fleet', () => {
  it('lists every host by the schema, a host that never answered without counts', () => {
    const list = HostList.parse({ hosts: entries().map((e) => hostSummaryOf(e, false)) });
    const silent = list.hosts.find((h) => h.id === 'pve-new')!;
    expect(silent).toMatchObject({ status: 'unreachable', counts: null, capacity: [], lastSeen: null, ageSeconds: null, hypervisor: null });
    const down = list.hosts.find((h) => h.id === 'pve-07')!;
    expect(down).toMatchObject({ status: 'unreachable', counts: null, ageSeconds: 760 });
    const stale = list.hosts.find((h) => h.id === 'pve-edge')!;
    expect(stale.counts).not.toBeNull();
  });

  it('matches vendor and device by hex id exactly or any part of the name, in any case', () => {
    expect(search('vendor=15B3&limit=1000').total).toBe(16 * 2);
    expect(search('vendor=mellanox').total).toBe(32);
    expect(search('vendor=808').total).toBe(0);
    expect(search('device=1592&host=pve-lab-01').total).toBe(72);
    expect(search('device=e810-c&host=pve-lab-01').total).toBe(72);
  });

  it('takes free=true for free VFs only and free=false for the others', () => {
    const all = search('host=pve-lab-01').total;
    const free = search('host=pve-lab-01&free=true');
    const notFree = search('host=pve-lab-01&free=false');
    expect(free.total + notFree.total).toBe(all);
    expect(free.vfs.every((v) => v.state === 'free')).toBe(true);
    expect(notFree.vfs.every((v) => v.state !== 'free')).toBe(true);
  });

  it('filters by NUMA node, lowest link speed, PF prefix and host name', () => {
    expect(search('host=pve-lab-01&numaNode=1').vfs.every((v) => v.numaNode === 1)).toBe(true);
    expect(search('host=pve-lab-01&minSpeedMbps=25000').vfs.every((v) => (v.speedMbps ?? 0) >= 25000)).toBe(true);
    expect(search('host=pve-lab-01&minSpeedMbps=25000').vfs.some((v) => v.pf === '0000:3b:00.1')).toBe(false);
    expect(search('pf=0000:af&host=pve-lab-01').total).toBe(16);
    expect(search('host=pve-lab-01.example.net').total).toBe(search('host=pve-lab-01').total);
  });

  it('lists the first `limit`, counts them all, and says which hosts it could search', () => {
    const found = search('free=true&limit=5');
    expect(found.vfs).toHaveLength(5);
    expect(found.total).toBe(65 + 1365);
    expect(found.hosts).toContainEqual({ id: 'pve-07', status: 'unreachable', searched: false });
    expect(found.hosts).toContainEqual({ id: 'pve-edge', status: 'stale', searched: true });
    expect(search('host=pve-edge&limit=1').vfs[0]!.hostStatus).toBe('stale');
  });

  it('refuses a query that does not validate', () => {
    expect(() => search('free=yes')).toThrow(/free/);
    expect(() => search('numaNode=-1')).toThrow(/numaNode/);
  });
});

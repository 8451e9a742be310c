import { describe, expect, it } from 'vitest';
import { handPf, handTopology } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { defaultRouteInterfaces } from './defaultRoutes';
import { managementPathCheck } from './managementPathCheck';

/** /proc/net/route as Linux 6.1 prints it (each line padded to 127 characters). */
const route = (...lines: string[]) =>
  ['Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT', ...lines].map((l) => l.padEnd(127)).join('\n');
const DEFAULT_VMBR0 = 'vmbr0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0';
const SUBNET_VMBR0 = 'vmbr0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0';
const netdev = (name: string) => ({ name, mac: null, operState: 'up', speedMbps: 10000 });

describe('defaultRouteInterfaces', () => {
  it('takes the routes with destination and mask 0 that are up, not the connected subnet', () => {
    expect(defaultRouteInterfaces(route(DEFAULT_VMBR0, SUBNET_VMBR0))).toEqual(['vmbr0']);
    expect(defaultRouteInterfaces(route(SUBNET_VMBR0))).toEqual([]);
    expect(defaultRouteInterfaces(route('eno1\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0'))).toEqual([]);
  });
});

describe('managementPathCheck', () => {
  it("warns on the PF that is a port of vmbr0, which holds the default route", () => {
    const files = handFiles({ 'proc/net/route': route(DEFAULT_VMBR0, SUBNET_VMBR0), 'sys/class/net/vmbr0/brif/ens1f0': { dir: true } });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] }), handPf('0000:18:00.1', { netdevs: [netdev('ens1f1')] })] });
    const checks = managementPathCheck({ files, topology });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: 'management-path', target: '0000:18:00.0', status: 'warn', title: "0000:18:00.0 (ens1f0) carries the host's default route through vmbr0" });
    expect(checks[0]!.evidence).toEqual([
      { path: '/proc/net/route', value: 'vmbr0 00000000 010200C0' },
      { path: '/sys/class/net/vmbr0/brif/ens1f0', value: 'port of the bridge' },
    ]);
    expect(checks[0]!.fix.proxmox).toMatch(/unless forced/);
  });

  it('follows a bridge over a bond to both PFs that are its slaves', () => {
    const files = handFiles({
      'proc/net/route': route(DEFAULT_VMBR0),
      'sys/class/net/vmbr0/brif/bond0': { dir: true },
      'sys/class/net/bond0/bonding/slaves': 'ens1f0 ens2f0',
    });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] }), handPf('0000:3b:00.0', { netdevs: [netdev('ens2f0')] })] });
    const checks = managementPathCheck({ files, topology });
    expect(checks.map((c) => c.title)).toEqual([
      "0000:18:00.0 (ens1f0) carries the host's default route through vmbr0 → bond0",
      "0000:3b:00.0 (ens2f0) carries the host's default route through vmbr0 → bond0",
    ]);
  });

  it('warns on a PF that holds the default route itself', () => {
    const files = handFiles({ 'proc/net/route': route(DEFAULT_VMBR0.replace('vmbr0', 'ens1f0')), 'sys/class/net/ens1f0/operstate': 'up' });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] })] });
    expect(managementPathCheck({ files, topology })[0]).toMatchObject({ target: '0000:18:00.0', title: "0000:18:00.0 (ens1f0) carries the host's default route" });
  });

  it('is ok where the route leaves by a port without SR-IOV, and unknown without /proc/net/route', () => {
    const files = handFiles({ 'proc/net/route': route(DEFAULT_VMBR0), 'sys/class/net/vmbr0/brif/eno1': { dir: true } });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] })] });
    expect(managementPathCheck({ files, topology })).toMatchObject([{ scope: 'host', status: 'ok', title: 'The default route (vmbr0) is on no SR-IOV PF' }]);
    expect(managementPathCheck({ files: handFiles({ 'sys/class/net': { dir: true } }), topology })).toMatchObject([{ status: 'unknown' }]);
  });

  it("warns on the PF under the bridge that holds the Proxmox node's address, where the default route leaves elsewhere", () => {
    const files = handFiles({
      'proc/net/route': route(DEFAULT_VMBR0, SUBNET_VMBR0, 'vmbr1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'),
      'etc/pve/.members': JSON.stringify({ nodename: 'pve1', version: 4, cluster: { name: 'lab', version: 2, nodes: 2, quorate: 1 }, nodelist: { pve1: { id: 1, online: 1, ip: '10.0.0.5' } } }),
      'sys/class/net/vmbr0/brif/eno1': { dir: true },
      'sys/class/net/vmbr1/brif/bond1': { dir: true },
      'sys/class/net/bond1/bonding/slaves': 'ens1f1',
    });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] }), handPf('0000:18:00.1', { netdevs: [netdev('ens1f1')] })] });
    const checks = managementPathCheck({ files, topology });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      target: '0000:18:00.1',
      status: 'warn',
      title: '0000:18:00.1 (ens1f1) carries the address node pve1 is known by (10.0.0.5) through vmbr1 → bond1',
    });
    expect(checks[0]!.evidence.slice(0, 2)).toEqual([
      { path: '/etc/pve/.members', value: 'node pve1: 10.0.0.5' },
      { path: '/proc/net/route', value: 'vmbr1 0000000A mask 00FFFFFF' },
    ]);
  });

  it('says both reasons when the bridge holds the default route and the node address', () => {
    const files = handFiles({
      'proc/net/route': route(DEFAULT_VMBR0, SUBNET_VMBR0),
      'etc/pve/.members': JSON.stringify({ nodename: 'pve1', version: 4, nodelist: { pve1: { id: 1, online: 1, ip: '192.0.2.10' } } }),
      'sys/class/net/vmbr0/brif/ens1f0': { dir: true },
    });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] })] });
    expect(managementPathCheck({ files, topology })[0]!.title).toBe(
      "0000:18:00.0 (ens1f0) carries the host's default route and the address node pve1 is known by (192.0.2.10) through vmbr0",
    );
  });

  it("is ok and says where the node's address is when it is on no PF", () => {
    const files = handFiles({
      'proc/net/route': route(DEFAULT_VMBR0, SUBNET_VMBR0),
      'etc/pve/.members': JSON.stringify({ nodename: 'pve1', version: 4, nodelist: { pve1: { id: 1, online: 1, ip: '192.0.2.10' } } }),
      'sys/class/net/vmbr0/brif/eno1': { dir: true },
    });
    const topology = handTopology({ pfs: [handPf('0000:18:00.0', { netdevs: [netdev('ens1f0')] })] });
    expect(managementPathCheck({ files, topology })).toMatchObject([
      { scope: 'host', status: 'ok', title: "The default route (vmbr0) is on no SR-IOV PF; the node's address 192.0.2.10 is on vmbr0, over no SR-IOV PF" },
    ]);
  });
});

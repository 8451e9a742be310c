import { describe, expect, it } from 'vitest';
import { handFiles } from '../testing/handTree';
import { hostsAddress, nodeAddress } from './nodeAddress';

/** /proc/net/route as Linux 6.1 prints it (each line padded to 127 characters). */
const route = (...lines: string[]) =>
  ['Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT', ...lines].map((l) => l.padEnd(127)).join('\n');
// 10.0.0.0/24 on vmbr1 (the cluster network), 192.0.2.0/24 and the default route on vmbr0.
const SUBNET_VMBR1 = 'vmbr1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0';
const SUBNET_VMBR0 = 'vmbr0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0';
const DEFAULT_VMBR0 = 'vmbr0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0';
const members = (ip?: string) =>
  JSON.stringify({
    nodename: 'pve1',
    version: 7,
    cluster: { name: 'lab', version: 3, nodes: 2, quorate: 1 },
    nodelist: { pve1: { id: 1, online: 1, ...(ip ? { ip } : {}) }, pve2: { id: 2, online: 1, ip: '10.0.0.6' } },
  });
/** /proc/net/fib_trie's Local table with the host's addresses, as the kernel prints it. */
const fibTrie = (...local: string[]) =>
  ['Main:', '  +-- 0.0.0.0/0 3 0 5', 'Local:', '  +-- 0.0.0.0/0 3 0 5', ...local.flatMap((ip) => [`     |-- ${ip}`, '        /32 host LOCAL'])].join('\n');

describe('nodeAddress', () => {
  it("finds this node's IP in .members and the interface whose connected subnet holds it, confirmed LOCAL by fib_trie", () => {
    const files = handFiles({
      'etc/pve/.members': members('10.0.0.5'),
      'proc/net/route': route(DEFAULT_VMBR0, SUBNET_VMBR0, SUBNET_VMBR1),
      'proc/net/fib_trie': fibTrie('192.0.2.10', '10.0.0.5'),
    });
    expect(nodeAddress(files)).toEqual({ node: 'pve1', ip: '10.0.0.5', from: '/etc/pve/.members', iface: 'vmbr1', evidence: 'vmbr1 0000000A mask 00FFFFFF' });
  });

  it('holds on no interface an address fib_trie does not list as local (another machine has it)', () => {
    const files = handFiles({ 'etc/pve/.members': members('10.0.0.5'), 'proc/net/route': route(SUBNET_VMBR1), 'proc/net/fib_trie': fibTrie('10.0.0.7') });
    expect(nodeAddress(files)).toMatchObject({ ip: '10.0.0.5', iface: null });
  });

  it('takes the longest matching prefix', () => {
    const files = handFiles({
      'etc/pve/.members': members('10.0.0.5'),
      'proc/net/route': route('bond0\t0000000A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0', SUBNET_VMBR1),
    });
    expect(nodeAddress(files)?.iface).toBe('vmbr1');
  });

  it('finds an IPv6 node address in if_inet6', () => {
    const files = handFiles({
      'etc/pve/.members': members('2001:db8::5'),
      'proc/net/if_inet6': ['fe80000000000000020c29fffe123456 05 40 20 80    vmbr0', '20010db8000000000000000000000005 06 40 00 80    vmbr1'].join('\n'),
    });
    expect(nodeAddress(files)).toMatchObject({ ip: '2001:db8::5', iface: 'vmbr1' });
  });

  it("takes a standalone node's address from /etc/hosts, as Proxmox resolves its name", () => {
    const files = handFiles({
      'etc/pve/.members': JSON.stringify({ nodename: 'pve1', version: 2 }),
      'etc/hosts': '127.0.0.1 localhost.localdomain localhost\n192.0.2.10 pve1.example.org pve1\n',
      'proc/net/route': route(DEFAULT_VMBR0, SUBNET_VMBR0),
    });
    expect(nodeAddress(files)).toMatchObject({ ip: '192.0.2.10', from: '/etc/hosts', iface: 'vmbr0' });
  });

  it('is null off Proxmox and for a .members that is not what pmxcfs writes', () => {
    expect(nodeAddress(handFiles({ 'proc/net/route': route(SUBNET_VMBR1) }))).toBeNull();
    expect(nodeAddress(handFiles({ 'etc/pve/.members': '{"nodename": "../x"}' }))).toBeNull();
  });
});

describe('hostsAddress', () => {
  it('skips loopback lines and comments', () => {
    expect(hostsAddress('127.0.1.1 pve1\n# 10.9.9.9 pve1\n10.0.0.5 pve1.lab pve1 # the node\n', 'pve1')).toBe('10.0.0.5');
    expect(hostsAddress('127.0.1.1 pve1\n', 'pve1')).toBeNull();
  });
});

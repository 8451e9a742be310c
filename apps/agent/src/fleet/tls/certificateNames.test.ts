import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { certificateNames } from './certificateNames';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
  family === 'IPv4'
    ? { address, family, internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }
    : { address, family, internal, netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 0 };

describe('the names of the agent certificate', () => {
  it('carries the hostname, localhost, the loopback addresses and every non-internal address once', () => {
    const names = certificateNames('pve1', {
      lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
      vmbr0: [nic('192.0.2.11', 'IPv4'), nic('2001:db8::11', 'IPv6')],
      vmbr1: [nic('192.0.2.11', 'IPv4'), nic('10.0.0.5', 'IPv4')],
      docker0: [nic('127.0.0.2', 'IPv4', true)],
    });
    expect(names).toEqual({ dns: ['pve1', 'localhost'], ips: ['127.0.0.1', '::1', '192.0.2.11', '2001:db8::11', '10.0.0.5'] });
  });

  it('names localhost once when it is the hostname', () => {
    expect(certificateNames('localhost', {}).dns).toEqual(['localhost']);
  });
});

import { describe, expect, it } from 'vitest';
import { baseUrl, hostPortOf, parseHostPort } from './hostPort';

describe('parseHostPort', () => {
  it('reads names, IPv4 and bracketed IPv6 with a port', () => {
    expect(parseHostPort('pve2.lab:7300')).toEqual({ host: 'pve2.lab', port: 7300 });
    expect(parseHostPort('10.0.0.5:7300')).toEqual({ host: '10.0.0.5', port: 7300 });
    expect(parseHostPort('[fd00::5]:7300')).toEqual({ host: 'fd00::5', port: 7300 });
  });

  it('refuses a missing port, a bare IPv6, a bad port and URL syntax in the host', () => {
    for (const text of ['pve2', 'fd00::5:7300', '[pve2]:7300', 'pve2:0', 'pve2:65536', 'pve2:x', 'user@pve2:7300', 'pve2/x:7300', ':7300', 'a..b:7300']) {
      expect(() => parseHostPort(text), text).toThrow();
    }
  });
});

describe('baseUrl', () => {
  it('spells one peer one way: lower case, IPv6 shortest and in brackets, the port always there', () => {
    expect(baseUrl('https', 'PVE2.Lab', 443)).toBe('https://pve2.lab:443');
    expect(baseUrl('https', 'fd00:0:0::5', 7300)).toBe('https://[fd00::5]:7300');
    expect(baseUrl('http', '[::1]', 80)).toBe('http://[::1]:80');
    expect(hostPortOf('https://[fd00::5]:7300')).toBe('[fd00::5]:7300');
  });
});

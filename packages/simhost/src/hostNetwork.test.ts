import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopology } from '@vfmap/sysfs';
import { generateHost } from './generateHost';
import { procNetRoute, routeHex } from './hostNetwork';
import { profiles } from './profiles';
import { tempRoot } from './tempRoot';

describe('procNetRoute', () => {
  it('prints the default route and the connected subnet as Linux does: hex in host byte order, lines padded to 127', () => {
    const text = procNetRoute({ defaultRouteVia: 'vmbr0', gateway: '192.0.2.1', subnet: '192.0.2.0/24' });
    const lines = text.split('\n');
    expect(lines[0]!.trimEnd()).toBe('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
    expect(lines[1]!.trimEnd()).toBe('vmbr0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0');
    expect(lines[2]!.trimEnd()).toBe('vmbr0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0');
    expect(lines.slice(0, 3).every((l) => l.length === 127)).toBe(true);
    expect(routeHex('10.0.0.254')).toBe('FE00000A');
  });

  it('prints only the header for a host without a route', () => {
    expect(procNetRoute(undefined).split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('the sriov-blocked profile', () => {
  let root: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir: root, remove } = tempRoot('vfmap-blocked-'));
    generateHost(root, profiles['sriov-blocked']!);
  });
  afterAll(() => remove());

  it('makes vmbr0 a bridge whose port is the X710 port 0, as the kernel links them', () => {
    const brif = join(root, 'sys/class/net/vmbr0/brif/ens1f0');
    expect(realpathSync(brif)).toBe(realpathSync(join(root, 'sys/class/net/ens1f0/brport')));
    expect(realpathSync(join(root, 'sys/class/net/ens1f0/device'))).toBe(realpathSync(join(root, 'sys/bus/pci/devices/0000:18:00.0')));
    expect(readlinkSync(join(root, 'sys/class/net/vmbr0'))).toBe('../../devices/virtual/net/vmbr0');
    expect(realpathSync(join(root, 'sys/class/net/ens1f0/master'))).toBe(realpathSync(join(root, 'sys/class/net/vmbr0')));
    expect(readFileSync(join(root, 'proc/net/route'), 'utf8')).toMatch(/^vmbr0\t00000000\t010200C0\t0003/m);
  });

  it('keeps the X520 a plain device: the SR-IOV capability in its config space, no sriov_* files', () => {
    const t = readTopology({ root, pciIds: null });
    expect(t.pfs.map((p) => p.address)).toEqual(['0000:18:00.0', '0000:18:00.1']);
    expect(t.devices.map((d) => d.address)).toContain('0000:19:00.0');
    expect(existsSync(join(root, 'sys/bus/pci/devices/0000:19:00.0/sriov_totalvfs'))).toBe(false);
    const config = readFileSync(join(root, 'sys/bus/pci/devices/0000:19:00.0/config'));
    expect(config.length).toBe(4096);
    expect(config.readUInt16LE(0x100)).toBe(0x0010);
    expect(config.readUInt16LE(0x10e)).toBe(0);
    expect(t.host.iommu.enabled).toBe(false);
  });
});

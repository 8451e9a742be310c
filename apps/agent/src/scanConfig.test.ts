import { describe, expect, it } from 'vitest';
import { ConfigError } from './configFlags';
import { parseScanConfig } from './scanConfig';

describe('scan configuration', () => {
  it('scans / as a tree with no hypervisor unless told otherwise', () => {
    expect(parseScanConfig([], {})).toEqual({ root: '/', json: false, hypervisor: 'none' });
    expect(parseScanConfig(['--root', 'R', '--json'], {})).toEqual({ root: 'R', json: true, hypervisor: 'none' });
  });

  it('takes the root and hypervisor from the environment, and a flag wins over its variable', () => {
    const env = { VFMAP_ROOT: '/srv/tree', VFMAP_HYPERVISOR: 'proxmox' };
    expect(parseScanConfig([], env)).toEqual({ root: '/srv/tree', json: false, hypervisor: 'proxmox' });
    expect(parseScanConfig(['--root', '/other', '--hypervisor', 'libvirt'], env)).toEqual({ root: '/other', json: false, hypervisor: 'libvirt' });
  });

  it('refuses an unknown hypervisor, an empty root and an unknown flag with a clear message', () => {
    expect(() => parseScanConfig(['--hypervisor', 'vmware'], {})).toThrow(ConfigError);
    expect(() => parseScanConfig(['--hypervisor', 'vmware'], {})).toThrow('hypervisor: expected one of proxmox, libvirt, simulated, none, got "vmware"');
    expect(() => parseScanConfig(['--root', ''], {})).toThrow(/root: .* is empty/);
    expect(() => parseScanConfig(['--rot', '/'], {})).toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import { parseAgentConfig, parseApplyDesiredConfig, parseDemoConfig } from './config';
import { ConfigError } from './configFlags';

describe('agent configuration', () => {
  it('listens on 127.0.0.1:7300 with no hypervisor by default', () => {
    const c = parseAgentConfig([], {});
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 7300 });
    expect(c.hypervisor).toBe('none');
    expect(c.root).toBe('/');
    expect(c.readOnly).toBe(false);
  });

  it('takes every setting from the environment, and a flag wins over its variable', () => {
    const env = { VFMAP_ROOT: '/srv/tree', VFMAP_LISTEN: '0.0.0.0:9000', VFMAP_HYPERVISOR: 'proxmox', VFMAP_READ_ONLY: '1' };
    const fromEnv = parseAgentConfig([], env);
    expect(fromEnv).toMatchObject({ root: '/srv/tree', listen: { host: '0.0.0.0', port: 9000 }, hypervisor: 'proxmox', readOnly: true });
    const flagged = parseAgentConfig(['--root', '/other', '--hypervisor', 'libvirt', '--listen', '[::1]:0'], env);
    expect(flagged).toMatchObject({ root: '/other', hypervisor: 'libvirt', listen: { host: '::1', port: 0 } });
  });

  it('refuses an unknown hypervisor, a bad listen address and an unknown flag with a clear message', () => {
    expect(() => parseAgentConfig(['--hypervisor', 'vmware'], {})).toThrow(ConfigError);
    expect(() => parseAgentConfig(['--hypervisor', 'vmware'], {})).toThrow(/hypervisor/);
    expect(() => parseAgentConfig(['--listen', 'localhost:99999'], {})).toThrow(/--listen wants HOST:PORT/);
    expect(() => parseAgentConfig(['--colour'], {})).toThrow(ConfigError);
  });

  it('gives the demo the simulated hypervisor and its own state directory', () => {
    const c = parseDemoConfig([], '/tmp/state-x', {});
    expect(c).toMatchObject({ hypervisor: 'simulated', profile: 'demo', stateDir: '/tmp/state-x' });
  });

  it('takes the write token from VFMAP_TOKEN or --token-file, treating an empty variable as unset', () => {
    expect(parseAgentConfig([], { VFMAP_TOKEN: 'from-the-environment-1234' })).toMatchObject({ token: 'from-the-environment-1234' });
    expect(parseAgentConfig(['--token-file', '/etc/vfmap/token'], {})).toMatchObject({ tokenFile: '/etc/vfmap/token' });
    const empty = parseAgentConfig([], { VFMAP_TOKEN: '', VFMAP_TOKEN_FILE: '' });
    expect([empty.token, empty.tokenFile]).toEqual([undefined, undefined]);
  });

  it('gives apply-desired the root, state directory and hypervisor, and force only when asked', () => {
    expect(parseApplyDesiredConfig([], {})).toMatchObject({ root: '/', stateDir: '/var/lib/vfmap', hypervisor: 'none', force: false, logLevel: 'warn' });
    expect(parseApplyDesiredConfig(['--state-dir', 'S', '--hypervisor', 'proxmox', '--force'], { VFMAP_ROOT: 'R' })).toMatchObject({
      root: 'R',
      stateDir: 'S',
      hypervisor: 'proxmox',
      force: true,
    });
    expect(() => parseApplyDesiredConfig(['--listen', '0.0.0.0:1'], {})).toThrow(ConfigError);
  });
});

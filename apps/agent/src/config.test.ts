import { describe, expect, it } from 'vitest';
import { parseAgentConfig, parseApplyDesiredConfig, parseDemoConfig, parseHubConfig } from './config';
import { ConfigError } from './configFlags';

describe('agent configuration', () => {
  it('listens on 127.0.0.1:7300 with no hypervisor, writing to this machine\'s kernel, by default', () => {
    const c = parseAgentConfig([], {});
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 7300 });
    expect(c.hypervisor).toBe('none');
    expect(c.root).toBe('/');
    expect(c.kernel).toBe('real');
    expect(c.readOnly).toBe(false);
  });

  it('takes every setting from the environment, and a flag wins over its variable', () => {
    const env = { VFMAP_ROOT: '/srv/tree', VFMAP_KERNEL: 'none', VFMAP_LISTEN: '0.0.0.0:9000', VFMAP_HYPERVISOR: 'proxmox', VFMAP_READ_ONLY: '1' };
    const fromEnv = parseAgentConfig([], env);
    expect(fromEnv).toMatchObject({ root: '/srv/tree', kernel: 'none', listen: { host: '0.0.0.0', port: 9000 }, hypervisor: 'proxmox', readOnly: true });
    const flagged = parseAgentConfig(['--root', '/other', '--kernel', 'real', '--hypervisor', 'libvirt', '--listen', '[::1]:0'], env);
    expect(flagged).toMatchObject({ root: '/other', kernel: 'real', hypervisor: 'libvirt', listen: { host: '::1', port: 0 } });
  });

  it('refuses an unknown hypervisor, a bad listen address and an unknown flag with a clear message', () => {
    expect(() => parseAgentConfig(['--hypervisor', 'vmware'], {})).toThrow(ConfigError);
    expect(() => parseAgentConfig(['--hypervisor', 'vmware'], {})).toThrow(/hypervisor/);
    expect(() => parseAgentConfig(['--listen', 'localhost:99999'], {})).toThrow(/--listen wants HOST:PORT/);
    expect(() => parseAgentConfig(['--colour'], {})).toThrow(ConfigError);
  });

  it('asks which kernel to write to when the root is not /, instead of refusing or simulating every write unasked', () => {
    // A container's --root /host is the host's /sys (real), a captured tree has no kernel (none):
    // the root alone cannot tell, so the agent does not start until it is told.
    for (const [args, env] of [[['--root', '/host'], {}], [[], { VFMAP_ROOT: '/host' }], [['--root', '/host'], { VFMAP_KERNEL: '' }]] as const) {
      expect(() => parseAgentConfig([...args], env)).toThrow(ConfigError);
      expect(() => parseAgentConfig([...args], env)).toThrow(/--root \/host is not \/, so say which kernel the agent writes to: --kernel real .* --kernel simulated .* --kernel none/);
    }
    expect(() => parseApplyDesiredConfig(['--root', '/host'], {})).toThrow(/say which kernel/);
    expect(parseAgentConfig(['--root', '/host', '--kernel', 'real'], {}).kernel).toBe('real');
    expect(parseAgentConfig(['--root', '/host'], { VFMAP_KERNEL: 'simulated' }).kernel).toBe('simulated');
    expect(parseAgentConfig(['--root', '/host/../'], {}).kernel).toBe('real');
  });

  it('refuses an unknown kernel, and the simulated kernel over this machine\'s /', () => {
    expect(() => parseAgentConfig(['--kernel', 'fake'], {})).toThrow(/kernel/);
    expect(() => parseAgentConfig(['--kernel', 'simulated'], {})).toThrow(/--kernel simulated .* never in this machine's \//);
  });

  it('reads and writes sysfs in worker threads unless told otherwise, each on its own', () => {
    expect(parseAgentConfig([], {})).toMatchObject({ scanWorker: true, writeWorker: true });
    expect(parseAgentConfig(['--no-scan-worker'], {})).toMatchObject({ scanWorker: false, writeWorker: true });
    expect(parseAgentConfig(['--no-write-worker'], {})).toMatchObject({ scanWorker: true, writeWorker: false });
    expect(parseAgentConfig([], { VFMAP_SCAN_WORKER: '0' })).toMatchObject({ scanWorker: false, writeWorker: true });
    expect(parseAgentConfig([], { VFMAP_WRITE_WORKER: 'no', VFMAP_SCAN_WORKER: '' })).toMatchObject({ scanWorker: true, writeWorker: false });
    expect(parseDemoConfig(['--no-write-worker'], '/tmp/state-x', {})).toMatchObject({ scanWorker: true, writeWorker: false });
  });

  it('says what replaced --no-worker, which decided both', () => {
    expect(() => parseAgentConfig(['--no-worker'], {})).toThrow(/--no-worker \(VFMAP_SCAN_IN_WORKER\) is gone: --no-scan-worker .* --no-write-worker/);
    expect(() => parseAgentConfig([], { VFMAP_SCAN_IN_WORKER: '0' })).toThrow(ConfigError);
  });

  it('gives the demo the simulated hypervisor and its own state directory', () => {
    const c = parseDemoConfig([], '/tmp/state-x', {});
    expect(c).toMatchObject({ hypervisor: 'simulated', profile: 'demo', stateDir: '/tmp/state-x' });
    // The demo always writes to the simulated kernel of the tree it generates.
    expect(() => parseDemoConfig(['--kernel', 'real'], '/tmp/state-x', {})).toThrow(ConfigError);
  });

  it('takes the write token from VFMAP_TOKEN or --token-file, treating an empty variable as unset', () => {
    expect(parseAgentConfig([], { VFMAP_TOKEN: 'from-the-environment-1234' })).toMatchObject({ token: 'from-the-environment-1234' });
    expect(parseAgentConfig(['--token-file', '/etc/vfmap/token'], {})).toMatchObject({ tokenFile: '/etc/vfmap/token' });
    const empty = parseAgentConfig([], { VFMAP_TOKEN: '', VFMAP_TOKEN_FILE: '' });
    expect([empty.token, empty.tokenFile]).toEqual([undefined, undefined]);
  });

  it('gives apply-desired the root, state directory and hypervisor, and force only when asked', () => {
    expect(parseApplyDesiredConfig([], {})).toMatchObject({ root: '/', kernel: 'real', stateDir: '/var/lib/vfmap', hypervisor: 'none', force: false, logLevel: 'warn' });
    expect(parseApplyDesiredConfig(['--state-dir', 'S', '--hypervisor', 'proxmox', '--force', '--kernel', 'simulated'], { VFMAP_ROOT: 'R' })).toMatchObject({
      root: 'R',
      kernel: 'simulated',
      stateDir: 'S',
      hypervisor: 'proxmox',
      force: true,
    });
    expect(() => parseApplyDesiredConfig(['--listen', '0.0.0.0:1'], {})).toThrow(ConfigError);
  });
});

describe('fleet configuration', () => {
  it('takes repeatable --peers and --peer, or their variables as comma-separated lists; a flag wins', () => {
    const flags = parseAgentConfig(['--peers', 'proxmox', '--peers', 'file:/etc/vfmap/targets.yml', '--peer', 'https://10.0.0.5:7300'], { VFMAP_PEERS: 'file:/x' });
    expect(flags.peers).toEqual(['proxmox', 'file:/etc/vfmap/targets.yml']);
    expect(flags.peerUrls).toEqual(['https://10.0.0.5:7300']);
    const env = parseAgentConfig([], { VFMAP_PEERS: 'proxmox, file:/etc/t.json', VFMAP_PEER: 'https://a:7300,https://b:7300', VFMAP_PEER_PORT: '7400', VFMAP_PEER_TIMEOUT_MS: '2500', VFMAP_TLS: '1', VFMAP_FLEET_TOKEN_FILE: '/etc/vfmap/fleet.token' });
    expect(env).toMatchObject({ peers: ['proxmox', 'file:/etc/t.json'], peerUrls: ['https://a:7300', 'https://b:7300'], peerPort: 7400, peerTimeoutMs: 2500, tls: true, fleetTokenFile: '/etc/vfmap/fleet.token' });
  });

  it('refuses a peer source it does not know, a --peer that is not a URL, and a certificate without its key', () => {
    expect(() => parseAgentConfig(['--peers', 'consul'], {})).toThrow(ConfigError);
    expect(() => parseAgentConfig(['--peer', 'pve2'], {})).toThrow(/--peer wants a URL/);
    expect(() => parseAgentConfig(['--tls-cert', '/etc/vfmap/agent.crt'], {})).toThrow(/go together/);
  });

  it('vfmap hub needs peers, and has no kernel or hypervisor flags', () => {
    expect(() => parseHubConfig([], {})).toThrow(/serves a fleet/);
    expect(parseHubConfig(['--peers', 'proxmox'], {}).peers).toEqual(['proxmox']);
    expect(() => parseHubConfig(['--peers', 'proxmox', '--kernel', 'real'], {})).toThrow(ConfigError);
  });
});

describe('--fault and --write-timeout-ms', () => {
  const sim = ['--root', '/srv/tree', '--kernel', 'simulated'];
  it('parses repeated --fault flags, or VFMAP_FAULT comma-separated, into plain data', () => {
    expect(parseAgentConfig([...sim, '--fault', 'numvfs-write:0000:18:00.0=EBUSY', '--fault', 'vf-remove-delay=30s'], {}).faults).toEqual([
      { kind: 'numvfs-write', pf: '0000:18:00.0', errno: 'EBUSY' },
      { kind: 'vf-remove-delay', ms: 30_000 },
    ]);
    expect(parseAgentConfig(sim, { VFMAP_FAULT: 'vanish:0000:18:01.0, bind:vfio-pci' }).faults).toEqual([
      { kind: 'vanish', address: '0000:18:01.0' },
      { kind: 'driver-file', file: 'bind', driver: 'vfio-pci', errno: 'ENODEV' },
    ]);
    expect(parseDemoConfig(['--fault', 'garbage:numa_node'], '/tmp/x', {}).faults).toEqual([{ kind: 'garbage', attr: 'numa_node', address: null }]);
  });

  it('refuses a bad spec with a ConfigError saying what is wrong, and faults for any kernel but the simulated one', () => {
    expect(() => parseAgentConfig([...sim, '--fault', 'numvfs-write:0000:18:00.0=EAGAIN'], {})).toThrow(ConfigError);
    expect(() => parseAgentConfig([...sim, '--fault', 'numvfs-write:0000:18:00.0=EAGAIN'], {})).toThrow(/errno "EAGAIN" is not one of EBUSY/);
    expect(() => parseAgentConfig([...sim, '--fault', 'melt'], {})).toThrow(/unknown fault "melt"/);
    expect(() => parseAgentConfig(['--fault', 'vanish:0000:18:01.0'], {})).toThrow(/--fault \(VFMAP_FAULT\) is made by the simulated kernel/);
  });

  it('takes a write timeout, 60 s by default', () => {
    expect(parseAgentConfig([], {}).writeTimeoutMs).toBe(60_000);
    expect(parseAgentConfig(['--write-timeout-ms', '5000'], {}).writeTimeoutMs).toBe(5000);
    expect(parseAgentConfig([], { VFMAP_WRITE_TIMEOUT_MS: '900' }).writeTimeoutMs).toBe(900);
    expect(() => parseAgentConfig(['--write-timeout-ms', '10'], {})).toThrow(ConfigError);
  });

  it('takes a command timeout for qm and virsh, 60 s by default', () => {
    expect(parseAgentConfig([], {}).commandTimeoutMs).toBe(60_000);
    expect(parseAgentConfig(['--command-timeout-ms', '2000'], {}).commandTimeoutMs).toBe(2000);
    expect(parseAgentConfig([], { VFMAP_COMMAND_TIMEOUT_MS: '900' }).commandTimeoutMs).toBe(900);
  });
});

describe('exposure configuration', () => {
  it('holds 256 event streams (32 per address) and allows 10 failed authentications a minute by default, with no read listener', () => {
    expect(parseAgentConfig([], {})).toMatchObject({ maxEventClients: 256, maxEventClientsPerAddress: 32, maxAuthFailures: 10, authFailureWindowMs: 60_000 });
    expect(parseAgentConfig([], {}).readListen).toBeUndefined();
  });

  it('takes each limit and the read listener from a flag or its variable, for the agent, the demo and the hub', () => {
    const env = { VFMAP_MAX_EVENT_CLIENTS: '500', VFMAP_MAX_EVENT_CLIENTS_PER_ADDRESS: '4', VFMAP_MAX_AUTH_FAILURES: '3', VFMAP_AUTH_FAILURE_WINDOW_MS: '5000', VFMAP_READ_LISTEN: '0.0.0.0:7301' };
    expect(parseAgentConfig([], env)).toMatchObject({ maxEventClients: 500, maxEventClientsPerAddress: 4, maxAuthFailures: 3, authFailureWindowMs: 5000, readListen: { host: '0.0.0.0', port: 7301 } });
    expect(parseAgentConfig(['--max-event-clients', '200', '--read-listen', '[::1]:7302'], env)).toMatchObject({ maxEventClients: 200, readListen: { host: '::1', port: 7302 } });
    expect(parseDemoConfig(['--max-auth-failures', '7'], '/tmp/x', {})).toMatchObject({ maxAuthFailures: 7 });
    expect(parseHubConfig(['--peer', 'https://10.0.0.5:7300', '--max-event-clients-per-address', '2'], {})).toMatchObject({ maxEventClientsPerAddress: 2 });
  });

  it('refuses a limit that is not a positive whole number, and a read listener that is not HOST:PORT', () => {
    expect(() => parseAgentConfig(['--max-event-clients', '0'], {})).toThrow(ConfigError);
    expect(() => parseAgentConfig(['--max-auth-failures', 'many'], {})).toThrow(ConfigError);
    expect(() => parseAgentConfig(['--read-listen', 'nowhere'], {})).toThrow(/HOST:PORT/);
  });
});

import { resolve } from 'node:path';
import { z } from 'zod';
import { HypervisorKind } from '@vfmap/model';
import { FaultSpecError, parseFault, type Fault } from '@vfmap/simhost';
import { ConfigError, type Env, type FlagSpec, type Flags, parseFlags } from './configFlags';

/**
 * Flags and environment variables, parsed once at start-up. This file and scanConfig.ts (the
 * scan's flags, checked without zod) are the only ones that read process.env; everything else
 * receives a typed config. A flag wins over its variable.
 */

export const DEFAULT_PORT = 7300;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;
/** A sriov_numvfs write of 0 takes 1-1.5 s on a real kernel, longer while a VF's driver is held; a minute is a hang. */
export const DEFAULT_WRITE_TIMEOUT_MS = 60_000;
/** A live hostdev detach waits for the guest to let go: a minute. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

const Listen = z
  .string()
  .transform((value, ctx) => {
    // "host:port", "[v6]:port", or a bare port.
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
    const port = m ? Number(m[3]) : Number.NaN;
    if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `--listen wants HOST:PORT (e.g. ${DEFAULT_LISTEN}), got "${value}"` });
      return z.NEVER;
    }
    return { host: m[1] || m[2] || '127.0.0.1', port };
  });
export type Listen = z.output<typeof Listen>;

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const Boolish = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', ''])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes');

/** Which kernel the agent writes VF counts to (`--kernel`); see kernel/kernelSpec.ts. */
export const KernelKind = z.enum(['real', 'simulated', 'none']);
export type KernelKind = z.output<typeof KernelKind>;

const PeerSpec = z
  .string()
  .regex(/^(proxmox|file:.+)$/, 'wants "proxmox" (the Proxmox cluster\'s members) or "file:PATH" (a Prometheus file_sd target list)');

/** Where the fleet's peers come from and how agents trust each other (see fleet/). */
export const FleetOptions = z.object({
  /** --peers, repeatable: `proxmox`, `file:PATH`. */
  peers: z.array(PeerSpec),
  /** --peer URL, repeatable: one agent, for a quick look. */
  peerUrls: z.array(z.string().url('--peer wants a URL such as https://10.0.0.5:7300')),
  /** The port the agents of a Proxmox cluster's other nodes listen on (default: this agent's). */
  peerPort: z.coerce.number().int().min(1).max(65535).optional(),
  /** How long a peer has to answer a read (default 5 s); writes get 30 s, as pveproxy gives. */
  peerTimeoutMs: z.coerce.number().int().min(100).max(120_000).optional(),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** HTTPS even on 127.0.0.1 (it is on by itself on any other address). */
  tls: Boolish,
  /** The credential this agent accepts from, and sends to, the fleet's other agents (elsewhere than Proxmox). */
  fleetTokenFile: z.string().min(1).optional(),
  /** More names the Host header may carry (a DNS name the agent is reached by that its certificate does not carry). */
  allowedHosts: z.array(z.string().regex(/^[A-Za-z0-9.:-]+$/, '--allowed-host wants a host name or an address')),
  /** Plain HTTP beyond loopback: only behind a proxy that speaks TLS for it. */
  insecureHttp: Boolish,
});
export type FleetOptions = z.output<typeof FleetOptions>;

/** How much of the agent a client may take: event streams, failed authentications, the read-only listener (server/). */
export const ExposureOptions = z.object({
  /** Event streams open at once, over both event routes and every listener (a browser tab holds one). */
  maxEventClients: z.coerce.number().int().min(1).max(100_000),
  /** Event streams one client address (an IPv6 /64) may hold at once. */
  maxEventClientsPerAddress: z.coerce.number().int().min(1).max(100_000),
  /** Failed write authentications an address may have within the window before its writes are refused with 429. */
  maxAuthFailures: z.coerce.number().int().min(1).max(1_000_000),
  authFailureWindowMs: z.coerce.number().int().min(1_000).max(86_400_000),
  /** A second listener that serves reads only (the page, GET routes, events, /metrics): exporters, dashboards. */
  readListen: Listen.optional(),
});
export type ExposureOptions = z.output<typeof ExposureOptions>;

export const EXPOSURE_DEFAULTS = { maxEventClients: 256, maxEventClientsPerAddress: 32, maxAuthFailures: 10, authFailureWindowMs: 60_000 } as const;

export const AgentConfig = z.object({
  root: z.string().min(1),
  kernel: KernelKind,
  listen: Listen,
  hypervisor: HypervisorKind,
  hostId: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'a host id is letters, digits, dot, dash, underscore').optional(),
  logLevel: LogLevel,
  stateDir: z.string().min(1),
  readOnly: Boolish,
  tokenFile: z.string().optional(),
  token: z.string().min(16, 'a token has at least 16 characters').optional(),
  webDir: z.string().optional(),
  virsh: z.string().optional(),
  qm: z.string().optional(),
  libvirtUri: z.string().optional(),
  /** Read sysfs (scans, fingerprints) in a worker thread; off: on the main thread. */
  scanWorker: Boolish,
  /** Write sysfs (VF counts) in a worker thread; off: on the main thread, which stalls every request while the kernel works. */
  writeWorker: Boolish,
  /** How long one kernel write may take before the operation answers that it hung (the write goes on; its PF's queue waits for it). */
  writeTimeoutMs: z.coerce.number().int().min(100).max(3_600_000),
  /** How long one qm or virsh command may run before it is killed with what it started. */
  commandTimeoutMs: z.coerce.number().int().min(100).max(3_600_000),
  /** Faults the simulated kernel makes (`--fault`, manual trials; @vfmap/simhost faults.ts). */
  faults: z.array(z.custom<Fault>()),
  /**
   * Run as one process (today's mode, and what tests use). Otherwise an agent started as root
   * splits: it stays root as the helper that does the privileged steps and runs the HTTP side
   * as --user (helper/splitAgent.ts).
   */
  singleProcess: Boolish,
  /** The HTTP side's user in split mode; default `vfmap`, or `nobody` on a host without that user. */
  user: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/, '--user wants a user name').max(32).optional(),
  /** The HTTP side of a helper started on its own (`vfmap helper`, packaging/vfmap-helper.service): its socket. */
  helperSocket: z.string().min(1).optional(),
  ...FleetOptions.shape,
  ...ExposureOptions.shape,
});
export type AgentConfig = z.output<typeof AgentConfig>;

/**
 * The demo's root is the tree it generates, so it takes a profile and an optional directory instead;
 * its kernel is always the simulated one of that tree.
 */
export const DemoConfig = AgentConfig.omit({ root: true, kernel: true }).extend({ profile: z.string().min(1), dir: z.string().optional(), split: Boolish });
export type DemoConfig = z.output<typeof DemoConfig>;

/** `vfmap apply-desired`: set the VF counts kept in the state directory again (at boot). */
export const ApplyDesiredConfig = AgentConfig.pick({ root: true, kernel: true, hypervisor: true, stateDir: true, logLevel: true, virsh: true, qm: true, libvirtUri: true }).extend({
  force: z.boolean(),
});
export type ApplyDesiredConfig = z.output<typeof ApplyDesiredConfig>;

const agentOptions = {
  root: { type: 'string' },
  kernel: { type: 'string' },
  listen: { type: 'string' },
  hypervisor: { type: 'string' },
  'host-id': { type: 'string' },
  'log-level': { type: 'string' },
  'state-dir': { type: 'string' },
  'read-only': { type: 'boolean' },
  'token-file': { type: 'string' },
  'web-dir': { type: 'string' },
  virsh: { type: 'string' },
  qm: { type: 'string' },
  'libvirt-uri': { type: 'string' },
  'no-scan-worker': { type: 'boolean' },
  peers: { type: 'string', multiple: true },
  peer: { type: 'string', multiple: true },
  'peer-port': { type: 'string' },
  'peer-timeout-ms': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  tls: { type: 'boolean' },
  'fleet-token-file': { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  'insecure-http': { type: 'boolean' },
  'no-write-worker': { type: 'boolean' },
  'write-timeout-ms': { type: 'string' },
  'command-timeout-ms': { type: 'string' },
  fault: { type: 'string', multiple: true },
  'max-event-clients': { type: 'string' },
  'max-event-clients-per-address': { type: 'string' },
  'max-auth-failures': { type: 'string' },
  'auth-failure-window-ms': { type: 'string' },
  'read-listen': { type: 'string' },
  'single-process': { type: 'boolean' },
  user: { type: 'string' },
  'helper-socket': { type: 'string' },
  // Gone: it decided both of the above. Still parsed, to say so.
  'no-worker': { type: 'boolean' },
} as const;

function check<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** Whether `root` is this machine's own `/`. */
function isHostRoot(root: Flags[string]): boolean {
  return typeof root === 'string' && resolve(root) === '/';
}

/**
 * --kernel, else VFMAP_KERNEL, else `real` when the root is `/`. Another root may be the host's
 * /sys mounted in a container (real), a simulated host's tree (simulated) or a captured tree (none),
 * and a wrong guess either refuses every write or writes files no kernel reads: it must be said.
 */
function kernelInput(v: Flags, env: Env, root: Flags[string]): unknown {
  const given = v.kernel ?? (env.VFMAP_KERNEL || undefined);
  if (given === undefined) {
    if (isHostRoot(root)) return 'real';
    throw new ConfigError(
      `--root ${root} is not /, so say which kernel the agent writes to: --kernel real (the running kernel, through ${root}/sys: the host's /sys mounted in a container), --kernel simulated (a tree made by vfmap's simulated host) or --kernel none (a captured tree: every write is refused); or set VFMAP_KERNEL`,
    );
  }
  if (given === 'simulated' && isHostRoot(root)) {
    throw new ConfigError('--kernel simulated answers writes in the tree of a simulated host, never in this machine\'s /: give that tree with --root');
  }
  return given;
}

function agentInput(v: Flags, env: Env, defaults: { hypervisor: string; root: string }) {
  if (v['no-worker'] !== undefined || env.VFMAP_SCAN_IN_WORKER !== undefined) {
    throw new ConfigError('--no-worker (VFMAP_SCAN_IN_WORKER) is gone: --no-scan-worker (VFMAP_SCAN_WORKER=0) reads sysfs on the main thread, --no-write-worker (VFMAP_WRITE_WORKER=0) writes it there');
  }
  return {
    root: v.root ?? env.VFMAP_ROOT ?? defaults.root,
    listen: v.listen ?? env.VFMAP_LISTEN ?? DEFAULT_LISTEN,
    hypervisor: v.hypervisor ?? env.VFMAP_HYPERVISOR ?? defaults.hypervisor,
    hostId: v['host-id'] ?? env.VFMAP_HOST_ID,
    logLevel: v['log-level'] ?? env.VFMAP_LOG_LEVEL ?? 'info',
    stateDir: v['state-dir'] ?? env.VFMAP_STATE_DIR ?? '/var/lib/vfmap',
    readOnly: v['read-only'] ?? env.VFMAP_READ_ONLY ?? false,
    tokenFile: v['token-file'] ?? (env.VFMAP_TOKEN_FILE || undefined),
    token: env.VFMAP_TOKEN || undefined,
    webDir: v['web-dir'] ?? env.VFMAP_WEB_DIR,
    virsh: v.virsh ?? env.VFMAP_VIRSH,
    qm: v.qm ?? env.VFMAP_QM,
    libvirtUri: v['libvirt-uri'] ?? env.VFMAP_LIBVIRT_URI,
    scanWorker: v['no-scan-worker'] === true ? false : (env.VFMAP_SCAN_WORKER || true),
    writeWorker: v['no-write-worker'] === true ? false : (env.VFMAP_WRITE_WORKER || true),
    writeTimeoutMs: v['write-timeout-ms'] ?? (env.VFMAP_WRITE_TIMEOUT_MS || DEFAULT_WRITE_TIMEOUT_MS),
    commandTimeoutMs: v['command-timeout-ms'] ?? (env.VFMAP_COMMAND_TIMEOUT_MS || DEFAULT_COMMAND_TIMEOUT_MS),
    faults: listOf(v.fault, env.VFMAP_FAULT).map(faultOf),
    singleProcess: v['single-process'] ?? env.VFMAP_SINGLE_PROCESS ?? false,
    user: v.user ?? (env.VFMAP_USER || undefined),
    helperSocket: v['helper-socket'] ?? (env.VFMAP_HELPER_SOCKET || undefined),
    ...fleetInput(v, env),
    ...exposureInput(v, env),
  };
}

function exposureInput(v: Flags, env: Env) {
  return {
    maxEventClients: v['max-event-clients'] ?? (env.VFMAP_MAX_EVENT_CLIENTS || EXPOSURE_DEFAULTS.maxEventClients),
    maxEventClientsPerAddress: v['max-event-clients-per-address'] ?? (env.VFMAP_MAX_EVENT_CLIENTS_PER_ADDRESS || EXPOSURE_DEFAULTS.maxEventClientsPerAddress),
    maxAuthFailures: v['max-auth-failures'] ?? (env.VFMAP_MAX_AUTH_FAILURES || EXPOSURE_DEFAULTS.maxAuthFailures),
    authFailureWindowMs: v['auth-failure-window-ms'] ?? (env.VFMAP_AUTH_FAILURE_WINDOW_MS || EXPOSURE_DEFAULTS.authFailureWindowMs),
    readListen: v['read-listen'] ?? (env.VFMAP_READ_LISTEN || undefined),
  };
}

/** One --fault (VFMAP_FAULT: comma-separated), or the ConfigError saying what is wrong with it. */
function faultOf(text: string): Fault {
  try {
    return parseFault(text);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new ConfigError(err.message);
    throw err;
  }
}

/** A repeatable flag, else its variable as a comma-separated list. */
function listOf(flag: Flags[string], variable: string | undefined): string[] {
  if (Array.isArray(flag)) return flag;
  return (variable ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function fleetInput(v: Flags, env: Env) {
  const tlsCert = v['tls-cert'] ?? (env.VFMAP_TLS_CERT || undefined);
  const tlsKey = v['tls-key'] ?? (env.VFMAP_TLS_KEY || undefined);
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new ConfigError('--tls-cert and --tls-key (VFMAP_TLS_CERT, VFMAP_TLS_KEY) go together: give both or neither');
  return {
    peers: listOf(v.peers, env.VFMAP_PEERS),
    peerUrls: listOf(v.peer, env.VFMAP_PEER),
    peerPort: v['peer-port'] ?? (env.VFMAP_PEER_PORT || undefined),
    peerTimeoutMs: v['peer-timeout-ms'] ?? (env.VFMAP_PEER_TIMEOUT_MS || undefined),
    tlsCert,
    tlsKey,
    tls: v.tls ?? env.VFMAP_TLS ?? false,
    fleetTokenFile: v['fleet-token-file'] ?? (env.VFMAP_FLEET_TOKEN_FILE || undefined),
    allowedHosts: listOf(v['allowed-host'], env.VFMAP_ALLOWED_HOSTS),
    insecureHttp: v['insecure-http'] ?? env.VFMAP_INSECURE_HTTP ?? false,
  };
}

export function parseAgentConfig(args: string[], env: Env = process.env): AgentConfig {
  const values = parseFlags(args, agentOptions);
  const base = agentInput(values, env, { hypervisor: 'none', root: '/' });
  const kernel = kernelInput(values, env, base.root);
  if (base.faults.length > 0 && kernel !== 'simulated') throw new ConfigError('--fault (VFMAP_FAULT) is made by the simulated kernel: give --kernel simulated over a simulated host, or run vfmap demo');
  return check(AgentConfig, { ...base, kernel });
}

export function parseDemoConfig(args: string[], tmpStateDir: string, env: Env = process.env): DemoConfig {
  const { kernel: _kernel, ...demoOptions } = agentOptions;
  const values = parseFlags(args, { ...demoOptions, profile: { type: 'string' }, dir: { type: 'string' }, split: { type: 'boolean' } });
  const base = agentInput(values, env, { hypervisor: 'simulated', root: '/' });
  return check(DemoConfig, {
    ...base,
    stateDir: values['state-dir'] ?? tmpStateDir,
    listen: values.listen ?? env.VFMAP_LISTEN ?? DEFAULT_LISTEN,
    profile: values.profile ?? env.VFMAP_DEMO_PROFILE ?? 'demo',
    dir: values.dir,
    split: values.split ?? env.VFMAP_DEMO_SPLIT ?? false,
  });
}

/**
 * `vfmap hub`: the fleet with no host of its own. It reads no sysfs and writes no kernel; --root
 * is only where a Proxmox cluster's /etc/pve is (`--peers proxmox`).
 */
export const HubConfig = AgentConfig.pick({ root: true, listen: true, hostId: true, logLevel: true, stateDir: true, readOnly: true, tokenFile: true, token: true, webDir: true })
  .extend(FleetOptions.shape)
  .extend(ExposureOptions.shape);
export type HubConfig = z.output<typeof HubConfig>;

export function parseHubConfig(args: string[], env: Env = process.env): HubConfig {
  const pick = ['root', 'listen', 'host-id', 'log-level', 'state-dir', 'read-only', 'token-file', 'web-dir', 'peers', 'peer', 'peer-port', 'peer-timeout-ms', 'tls-cert', 'tls-key', 'tls', 'fleet-token-file', 'allowed-host', 'insecure-http', 'max-event-clients', 'max-event-clients-per-address', 'max-auth-failures', 'auth-failure-window-ms', 'read-listen'] as const;
  const values = parseFlags(args, Object.fromEntries(pick.map((k) => [k, agentOptions[k]])));
  const base = agentInput(values, env, { hypervisor: 'none', root: '/' });
  const config = check(HubConfig, base);
  if (config.peers.length === 0 && config.peerUrls.length === 0) throw new ConfigError('vfmap hub serves a fleet: give --peers proxmox, --peers file:PATH or --peer URL (VFMAP_PEERS, VFMAP_PEER)');
  return config;
}

export function parseApplyDesiredConfig(args: string[], env: Env = process.env): ApplyDesiredConfig {
  const values = parseFlags(args, {
    root: { type: 'string' },
    kernel: { type: 'string' },
    hypervisor: { type: 'string' },
    'state-dir': { type: 'string' },
    'log-level': { type: 'string' },
    virsh: { type: 'string' },
    qm: { type: 'string' },
    'libvirt-uri': { type: 'string' },
    force: { type: 'boolean' },
  });
  const base = agentInput(values, env, { hypervisor: 'none', root: '/' });
  return check(ApplyDesiredConfig, { ...base, kernel: kernelInput(values, env, base.root), logLevel: values['log-level'] ?? env.VFMAP_LOG_LEVEL ?? 'warn', force: values.force ?? false });
}

/**
 * `vfmap helper`: the root helper on its own, for systemd (packaging/vfmap-helper.service): it
 * listens on --socket (mode 0600, owned by --user) and does the privileged steps for the HTTP side
 * that runs as --user (`vfmap agent --helper-socket`).
 */
export const HelperConfig = AgentConfig.pick({ root: true, kernel: true, hypervisor: true, logLevel: true, virsh: true, qm: true, libvirtUri: true, user: true, writeWorker: true }).extend({
  socket: z.string().min(1),
});
export type HelperConfig = z.output<typeof HelperConfig>;

export const DEFAULT_HELPER_SOCKET = '/run/vfmap/helper.sock';

export function parseHelperConfig(args: string[], env: Env = process.env): HelperConfig {
  const pick = ['root', 'kernel', 'hypervisor', 'log-level', 'virsh', 'qm', 'libvirt-uri', 'user', 'no-write-worker'] as const;
  const values = parseFlags(args, { ...Object.fromEntries(pick.map((k) => [k, agentOptions[k]])), socket: { type: 'string' } });
  const base = agentInput(values, env, { hypervisor: 'none', root: '/' });
  return check(HelperConfig, { ...base, kernel: kernelInput(values, env, base.root), socket: values.socket ?? env.VFMAP_HELPER_SOCKET ?? DEFAULT_HELPER_SOCKET });
}

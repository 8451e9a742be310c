import {
  pfSpeedMbps,
  ProblemType,
  summarizeTopology,
  vfState,
  type FleetVf,
  type FleetVfList,
  type HostStatus,
  type HostSummary,
  type HypervisorKind,
  type Problem,
  type Topology,
} from '@vfmap/model';

/**
 * The fleet side of the fake agent (fixtureServer.ts): what GET /api/v1/hosts says of each host
 * in the state a test put it in, and GET /api/v1/fleet/vfs, filtered as the API contract says.
 */

/** How a test wants a host to look from the serving agent. */
export interface FleetHostState {
  status: HostStatus;
  /** why it is not ok, as the last attempt to reach it said. */
  problem?: string | null;
  /** seconds since it last answered; null: it never did. */
  ageSeconds?: number | null;
}

/** A host the server knows of but that never answered it: no topology, no counts. */
export interface SilentHost {
  hostname: string;
  hypervisor?: HypervisorKind | null;
  status?: 'unreachable' | 'unauthorized';
  problem: string;
}

export interface FleetEntry {
  id: string;
  topology: Topology | undefined;
  silent: SilentHost | undefined;
  /** undefined: the healthy local host, listed exactly as the real single-host agent lists it. */
  state: FleetHostState | undefined;
}

/** Whether the server still has VFs of the host to show: it answers, or its last answer is kept. */
export function hasKeptTopology(entry: FleetEntry): boolean {
  const status = entry.state?.status ?? 'ok';
  return entry.topology !== undefined && (status === 'ok' || status === 'stale');
}

export function hostSummaryOf(entry: FleetEntry, readOnly: boolean, now = Date.now()): HostSummary {
  const { id, topology: t, silent, state } = entry;
  const base = {
    id,
    url: `/api/v1/hosts/${encodeURIComponent(id)}/topology`,
    readOnly,
  };
  if (t && !state) {
    // The real agent's own host (the contract test compares this with it, field by field).
    return {
      ...base,
      hostname: t.host.hostname,
      hypervisor: t.host.hypervisor,
      local: true,
      status: 'ok',
      lastSeen: t.host.collectedAt,
      ageSeconds: 0,
      version: 'dev',
      ...summarizeTopology(t),
      problem: null,
      source: 'local',
    };
  }
  const status = state?.status ?? silent?.status ?? 'unreachable';
  const age = state ? (state.ageSeconds === undefined ? (status === 'ok' ? 0 : null) : state.ageSeconds) : null;
  const kept = t !== undefined && (status === 'ok' || status === 'stale');
  return {
    ...base,
    hostname: t?.host.hostname ?? silent?.hostname ?? id,
    hypervisor: t?.host.hypervisor ?? silent?.hypervisor ?? null,
    local: false,
    status,
    lastSeen: age === null ? null : new Date(now - age * 1000).toISOString(),
    ageSeconds: age,
    version: age === null ? null : 'dev',
    ...(kept ? summarizeTopology(t) : { counts: null, capacity: [] }),
    problem: state?.problem ?? silent?.problem ?? null,
    source: 'peer',
  };
}

/** What the serving agent answers for the topology of a peer it cannot reach. */
export function peerProblem(entry: FleetEntry): Problem {
  const problem = entry.state?.problem ?? entry.silent?.problem ?? 'no answer';
  return {
    type: ProblemType.peer,
    title: 'The host’s agent did not answer',
    status: 502,
    detail: `${entry.id}: ${problem}`,
    host: entry.id,
    sent: false,
  };
}

export class FleetQueryError extends Error {
  constructor(
    readonly issues: { path: string; message: string }[],
  ) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

const DEFAULT_LIMIT = 500;

/**
 * GET /api/v1/fleet/vfs: `free=true` only free VFs, `free=false` only the others; `vendor` and
 * `device` match a hex id exactly or any part of the pci.ids name, case-insensitive; `numaNode`
 * exactly; `minSpeedMbps` the PF's link at least that fast; `pf` a PF address prefix; `host` a
 * host id, or its hostname whole or up to the first dot; `limit` VFs listed of `total` found.
 */
export function searchFleetVfs(entries: readonly FleetEntry[], params: URLSearchParams): FleetVfList {
  const issues: { path: string; message: string }[] = [];
  const text = (name: string) => {
    const v = params.get(name);
    return v === null || v.trim() === '' ? null : v.trim().toLowerCase();
  };
  const int = (name: string, min: number) => {
    const v = params.get(name);
    if (v === null || v === '') return null;
    if (!/^-?\d+$/.test(v) || Number(v) < min) {
      issues.push({ path: name, message: `expected an integer ≥ ${min}` });
      return null;
    }
    return Number(v);
  };
  const freeParam = params.get('free');
  if (freeParam !== null && freeParam !== 'true' && freeParam !== 'false') issues.push({ path: 'free', message: 'expected true or false' });
  const free = freeParam === 'true' ? true : freeParam === 'false' ? false : null;
  const vendor = text('vendor');
  const device = text('device');
  const pf = text('pf');
  const host = text('host');
  const numaNode = int('numaNode', 0);
  const minSpeedMbps = int('minSpeedMbps', 0);
  const limit = int('limit', 1) ?? DEFAULT_LIMIT;
  if (issues.length > 0) throw new FleetQueryError(issues);

  const found: FleetVf[] = [];
  const hosts: FleetVfList['hosts'] = [];
  for (const entry of entries) {
    const summary = hostSummaryOf(entry, false);
    const wanted = host === null || hostMatches(entry.id, summary.hostname, host);
    const searched = wanted && hasKeptTopology(entry);
    hosts.push({ id: entry.id, status: summary.status, searched });
    if (!searched || !entry.topology) continue;
    const t = entry.topology;
    for (const p of t.pfs) {
      if (vendor !== null && !idOrNameMatches(p.vendorId, p.vendorName, vendor)) continue;
      if (device !== null && !idOrNameMatches(p.deviceId, p.deviceName, device)) continue;
      const wholePf = pf === null || p.address.toLowerCase().startsWith(pf);
      if (!wholePf && !p.vfs.some((v) => v.address.startsWith(pf!))) continue;
      const speed = pfSpeedMbps(p);
      if (minSpeedMbps !== null && (speed === null || speed < minSpeedMbps)) continue;
      for (const vf of p.vfs) {
        if (!wholePf && !vf.address.startsWith(pf!)) continue;
        const state = vfState(vf, t);
        if (free === true && state !== 'free') continue;
        if (free === false && state === 'free') continue;
        const numa = vf.numaNode ?? p.numaNode;
        if (numaNode !== null && numa !== numaNode) continue;
        found.push({
          host: entry.id,
          hostname: summary.hostname,
          hostStatus: summary.status,
          pf: p.address,
          vf: vf.address,
          index: vf.index,
          state,
          vendorId: p.vendorId,
          deviceId: p.deviceId,
          vendorName: p.vendorName,
          deviceName: p.deviceName,
          numaNode: numa,
          speedMbps: speed,
          pfNetdev: p.netdevs[0]?.name ?? null,
          driver: vf.driver,
          holder: vf.holder,
        });
      }
    }
  }
  return { vfs: found.slice(0, limit), total: found.length, hosts };
}

function idOrNameMatches(id: string, name: string | null, wanted: string): boolean {
  const hex = wanted.replace(/^0x/, '');
  return id.toLowerCase() === hex || (name !== null && name.toLowerCase().includes(wanted));
}

function hostMatches(id: string, hostname: string, wanted: string): boolean {
  const name = hostname.toLowerCase();
  return id.toLowerCase() === wanted || name === wanted || name.split('.')[0] === wanted;
}

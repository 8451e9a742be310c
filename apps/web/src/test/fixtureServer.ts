import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProblemType, type Problem, type Topology, type VfmapEvent } from '@vfmap/model';
import { FleetQueryError, hostSummaryOf, peerProblem, searchFleetVfs, type FleetEntry, type FleetHostState, type SilentHost } from './fixtureFleet';
import { handleWrite, writeControls, type WriteControls } from './fixtureWrites';
import type { NamedButGone } from './topologyChanges';

/** The token the fixture server takes for writes unless a test sets another. */
export const FIXTURE_TOKEN = 'fixture-write-token-0123456789';

/**
 * A real HTTP server that answers the agent's read API from fixture topologies, for component
 * tests: the page's fetchers, ETags and error handling run for real against it. A host can be
 * switched to answer a problem, and its topology replaced to play a change on the host. Writes
 * change the fixture topology the way the agent changes the host (fixtureWrites.ts).
 *
 * It serves a fleet too (fixtureFleet.ts): every host listed with a status a test can set (a
 * stale, unreachable or unauthorized peer), hosts that never answered (`silent`), the fleet VF
 * search and the fleet event stream, which says each status change as a host.status event.
 */
export interface FixtureServer {
  baseUrl: string;
  setTopology(hostId: string, topology: Topology): void;
  /** how the serving agent sees a host now; null: the healthy local host again. Sent as a host.status event. */
  setHostStatus(hostId: string, state: FleetHostState | null): void;
  /** every GET /api/v1/fleet/vfs query string, in order. */
  fleetSearches: string[];
  setProblem(hostId: string, problem: Problem | null): void;
  topologyOf(hostId: string): Topology | undefined;
  /** the write API (PUT numvfs, POST/DELETE assignment): its token, scripted failures, a gate, the log. */
  writes: WriteControls;
  /** how many topology requests each host got, and how many were answered 304. */
  requests: Map<string, { total: number; notModified: number }>;
  close(): Promise<void>;
}

export async function startFixtureServer(
  hosts: Record<string, Topology>,
  options: { silent?: Record<string, SilentHost>; status?: Record<string, FleetHostState> } = {},
): Promise<FixtureServer> {
  const topologies = new Map(Object.entries(hosts));
  const silent = new Map(Object.entries(options.silent ?? {}));
  const states = new Map(Object.entries(options.status ?? {}));
  const fleetSearches: string[] = [];
  const streams = new Set<ServerResponse>();
  const entries = (): FleetEntry[] =>
    [...topologies.keys(), ...[...silent.keys()].filter((id) => !topologies.has(id))].map((id) => ({
      id,
      topology: topologies.get(id),
      silent: silent.get(id),
      state: states.get(id) ?? (silent.has(id) && !topologies.has(id) ? { status: silent.get(id)!.status ?? 'unreachable', ageSeconds: null } : undefined),
    }));
  const entryOf = (id: string) => entries().find((e) => e.id === id);
  const broadcast = (event: VfmapEvent) => {
    for (const res of streams) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const versions = new Map<string, number>([...topologies.keys()].map((id) => [id, 1]));
  const problems = new Map<string, Problem>();
  const requests = new Map<string, { total: number; notModified: number }>();
  const gone = new Map<string, NamedButGone>();
  const goneOf = (hostId: string): NamedButGone => {
    if (!gone.has(hostId)) gone.set(hostId, new Map());
    return gone.get(hostId)!;
  };

  const writes = writeControls(FIXTURE_TOKEN);
  const setTopology = (hostId: string, topology: Topology) => {
    topologies.set(hostId, topology);
    versions.set(hostId, (versions.get(hostId) ?? 0) + 1);
    broadcast({ type: 'topology.changed', host: hostId, etag: `"${hostId}-${versions.get(hostId)}"`, reason: 'external', at: new Date().toISOString() });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    if (req.method !== 'GET') {
      handleWrite(req, res, url.pathname, { get: (id) => topologies.get(id), set: setTopology, gone: goneOf, etag: (id) => `"${id}-${versions.get(id)}"` }, writes)
        .then((handled) => {
          if (!handled) notFound(res, req.method!, url.pathname);
        })
        .catch((err: unknown) => {
          res.statusCode = 500;
          res.setHeader('content-type', 'text/plain');
          res.end(String(err));
        });
      return;
    }
    if (url.pathname === '/api/v1/hosts') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ hosts: entries().map((e) => hostSummaryOf(e, writes.token === null)) }));
      return;
    }
    if (url.pathname === '/api/v1/fleet/vfs') {
      fleetSearches.push(url.search.replace(/^\?/, ''));
      try {
        const answer = searchFleetVfs(entries(), url.searchParams);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer));
      } catch (err) {
        if (!(err instanceof FleetQueryError)) throw err;
        res.statusCode = 400;
        res.setHeader('content-type', 'application/problem+json');
        res.end(JSON.stringify({ type: ProblemType.badRequest, title: 'Bad request', status: 400, detail: err.message, issues: err.issues, instance: url.pathname }));
      }
      return;
    }
    if (url.pathname === '/api/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': the fixture server\'s fleet stream\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const m = /^\/api\/v1\/hosts\/([^/]+)\/topology$/.exec(url.pathname);
    const id = m ? decodeURIComponent(m[1]!) : null;
    const topology = id === null ? undefined : topologies.get(id);
    const entry = id === null ? undefined : entryOf(id);
    const unreachable = entry?.state && entry.state.status !== 'ok' && entry.state.status !== 'stale';
    const problem = id === null ? undefined : (problems.get(id) ?? (entry && (unreachable || !topology) ? peerProblem(entry) : undefined));
    if (id !== null && (topology || problem)) {
      const count = requests.get(id) ?? { total: 0, notModified: 0 };
      count.total++;
      requests.set(id, count);
      if (problem) {
        res.statusCode = problem.status;
        res.setHeader('content-type', 'application/problem+json');
        res.end(JSON.stringify(problem));
        return;
      }
      const etag = `"${id}-${versions.get(id)}"`;
      res.setHeader('etag', etag);
      res.setHeader('cache-control', 'no-cache');
      if (req.headers['if-none-match'] === etag) {
        count.notModified++;
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(topology));
      return;
    }
    if (m) notFound(res, 'GET', url.pathname, `No host "${id}" here; GET /api/v1/hosts lists the hosts this server knows.`);
    else notFound(res, 'GET', url.pathname);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    setTopology,
    setHostStatus(hostId, state) {
      if (state) states.set(hostId, state);
      else states.delete(hostId);
      const now = entryOf(hostId);
      const summary = now ? hostSummaryOf(now, false) : null;
      broadcast({ type: 'host.status', host: hostId, status: summary?.status ?? 'ok', problem: summary?.problem ?? null, at: new Date().toISOString() });
    },
    fleetSearches,
    topologyOf: (hostId) => topologies.get(hostId),
    writes,
    setProblem(hostId, problem) {
      if (problem) problems.set(hostId, problem);
      else problems.delete(hostId);
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The agent's 404: a problem, as every error it answers, naming the path as the instance. */
function notFound(res: ServerResponse, method: string, path: string, detail = `No API resource at ${method} ${path}`): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'application/problem+json');
  res.end(JSON.stringify({ type: ProblemType.notFound, title: 'Not found', status: 404, detail, instance: path }));
}

/** A port that nothing listens on: the agent is down. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

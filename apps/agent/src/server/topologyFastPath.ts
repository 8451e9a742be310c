import type { IncomingMessage, RequestListener } from 'node:http';
import type { HostRegistry } from '../hostRegistry';
import { answerTopology } from '../routes/topologyBody';
import { topologyRoutes } from '../routes/topologyRoutes';
import { hostOf } from './hostCheck';
import type { RequestRecorder } from './requestRecorder';
import type { HeaderList } from './securityHeaders';

/** `/api/v1/hosts/<id>/topology` with an id that needs no decoding, and no query. */
const TOPOLOGY_PATH = /^\/api\/v1\/hosts\/([A-Za-z0-9._~-]+)\/topology$/;
/** The route as Express names it, for the request metric. */
const ROUTE = topologyRoutes.getTopology.path;

export interface FastPathDeps {
  hosts: HostRegistry;
  /** The Host header names (server/hostCheck.ts); every name when not given. */
  allowedHosts?: ReadonlySet<string> | undefined;
  headers: HeaderList;
  record: RequestRecorder;
}

/**
 * The one request that comes in hundreds a second — a local host's topology, which every open
 * page and every peer revalidates — answered without Express's dozen middleware calls, from the
 * bytes kept for the topology's version: with them a 33 KB topology was served at a fifth of what
 * bare Node serves. It answers exactly as the Express route does (the same security headers, ETag,
 * 304, gzip; the same metric and log line), and only when it is sure to: GET or HEAD, no query, no
 * body, an id with nothing to decode, a Host header the agent answers to, a host of this agent
 * whose topology reads without error. Anything else — and every refusal, which Express words — goes
 * to Express.
 */
export function withTopologyFastPath(express: RequestListener, deps: FastPathDeps): RequestListener {
  return (req, res) => {
    const id = fastPathHost(req, deps);
    const host = id === null ? undefined : deps.hosts.local().find((h) => h.id === id);
    if (!host) {
      express(req, res);
      return;
    }
    const started = process.hrtime.bigint();
    host.topology().then(
      (snapshot) => {
        for (const [name, value] of deps.headers) res.setHeader(name, value);
        res.on('finish', () => deps.record(req, res, ROUTE, started));
        return answerTopology(req, res, snapshot);
      },
      // The read failed: Express reads again and answers with the problem.
      () => express(req, res),
    ).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  };
}

function fastPathHost(req: IncomingMessage, deps: FastPathDeps): string | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) return null;
  const match = TOPOLOGY_PATH.exec(req.url ?? '');
  if (!match) return null;
  if (deps.allowedHosts) {
    const header = req.headers.host;
    if (header === undefined || !deps.allowedHosts.has(hostOf(header))) return null;
  }
  return match[1]!;
}


import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import compression from 'compression';
import express, { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import type { KernelKind } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { HostRegistry } from '../hostRegistry';
import { NotFoundError } from '../errors';
import { buildOpenApi } from '../openapi';
import { apiRoutes } from '../routes/apiRoutes';
import { assignmentHandlers } from '../routes/assignmentRoutes';
import { vfConfigHandlers } from '../routes/vfConfigRoutes';
import { auditHandlers } from '../routes/auditRoutes';
import { persistenceHandlers } from '../routes/persistenceRoutes';
import { checksHandlers } from '../routes/checksRoutes';
import { eventsHandlers } from '../routes/eventsRoutes';
import { fleetHandlers } from '../routes/fleetRoutes';
import { healthHandlers } from '../routes/healthRoutes';
import { hostsHandlers } from '../routes/hostsRoutes';
import { numVfsHandlers } from '../routes/numVfsRoutes';
import { vfDriverHandlers } from '../routes/vfDriverRoutes';
import { pfWriteHandlers } from '../routes/pfWriteRoutes';
import { openapiHandlers } from '../routes/openapiRoutes';
import { mountRoutes } from '../routes/route';
import { topologyHandlers } from '../routes/topologyRoutes';
import { requireWriter, type WriteAccess } from '../auth/requireWriter';
import type { FailedAuthLimiter } from '../auth/failedAuthLimiter';
import type { RefusalAudit } from '../auth/refusalAudit';
import { EventClientLimit } from './eventClientLimit';
import { pageRoutes } from './pageRoutes';
import { hostCheck } from './hostCheck';
import { securityHeaderList, securityHeaders, type HeaderList } from './securityHeaders';
import { requestRecorder, type RequestRecorder } from './requestRecorder';
import { withTopologyFastPath } from './topologyFastPath';
import { sendProblem, toProblem } from './problems';
import { BODY_LIMIT_BYTES, refuseUnreadableRequests } from './requestGuards';

export interface AppDeps {
  hosts: HostRegistry;
  logger: Logger;
  metrics: Metrics;
  /** Who may write: nobody (--read-only) or the holder of the token. */
  writeAccess: WriteAccess;
  /** What VF counts are written to (--kernel), for /healthz. */
  kernel: KernelKind;
  /** The built page (apps/web/dist); served at `/` when given and present. */
  webDir?: string;
  /** How often an idle event stream gets a keep-alive comment (default 15 s). */
  sseKeepAliveMs?: number;
  /** The names the Host header may carry (server/hostCheck.ts); every name when not given (tests of routes alone). */
  allowedHosts?: ReadonlySet<string>;
  /** The agent speaks HTTPS (HSTS is sent). */
  https?: boolean;
  /** The SHA-256 fingerprint of the certificate the agent serves HTTPS with, for /api/v1/health; null on plain HTTP. */
  tlsFingerprint?: string | null;
  /** The event streams open at once, shared by every listener (default: 256, 32 per address). */
  eventClients?: EventClientLimit;
  /** Failed write authentications per address (none counted when not given). */
  authFailures?: FailedAuthLimiter;
  /** Where writes refused at authentication are logged and audited. */
  refusals?: RefusalAudit;
}

/**
 * What the agent's HTTP server runs: Express with every route, behind the topology's fast path
 * (server/topologyFastPath.ts), both sending the same security headers and recording requests alike.
 */
export function createRequestHandler(deps: AppDeps): RequestListener {
  const headers = securityHeaderList({ https: deps.https ?? false });
  const record = requestRecorder(deps.logger, deps.metrics);
  const app = expressApp(deps, headers, record);
  return withTopologyFastPath(app, { hosts: deps.hosts, allowedHosts: deps.allowedHosts, headers, record });
}

/** The Express application alone (what the OpenAPI document is checked against). */
export function createApp(deps: AppDeps): Express {
  return expressApp(deps, securityHeaderList({ https: deps.https ?? false }), requestRecorder(deps.logger, deps.metrics));
}

function expressApp(
  { hosts, logger, metrics, writeAccess, kernel, webDir, sseKeepAliveMs, allowedHosts, tlsFingerprint = null, eventClients, authFailures, refusals }: AppDeps,
  headers: HeaderList,
  record: RequestRecorder,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // the topology route sets its own strong ETag
  app.use(requestLog(record));
  app.use(securityHeaders(headers));
  if (allowedHosts) app.use(hostCheck(allowedHosts));
  app.use(refuseUnreadableRequests(BODY_LIMIT_BYTES));
  // Express answers OPTIONS itself (200, text/plain, the methods a path has). The agent serves
  // exactly its declared routes, none of them OPTIONS, and no CORS: a preflight gets the 404 of
  // any method no route has.
  app.use((req, _res, next) => next(req.method === 'OPTIONS' ? new NotFoundError(`Nothing at ${req.method} ${req.originalUrl}`) : undefined));
  // A large host's topology is half a megabyte of JSON and a tenth of that gzipped. The event
  // stream stays uncompressed: compression would hold its events back in a buffer.
  app.use(compression({ filter: (req, res) => !req.path.endsWith('/events') && compression.filter(req, res) }));
  // No compressed bodies: the agent's are a few bytes, and an inflate error (a body that is not
  // the gzip its Content-Encoding says) left body-parser untyped, as a 500. Refused with 415.
  app.use(express.json({ limit: BODY_LIMIT_BYTES, inflate: false }));

  // Exactly the declared routes (routes/apiRoutes.ts), which the OpenAPI document describes.
  const api = Router();
  const handlers = {
    ...hostsHandlers(hosts, writeAccess.readOnly && writeAccess.readListener === true),
    ...topologyHandlers(hosts),
    ...numVfsHandlers(hosts),
    ...vfDriverHandlers(hosts),
    ...pfWriteHandlers(hosts),
    ...assignmentHandlers(hosts),
    ...vfConfigHandlers(hosts),
    ...auditHandlers(hosts),
    ...persistenceHandlers(hosts),
    ...checksHandlers(hosts),
    ...eventsHandlers(hosts, eventClients ?? new EventClientLimit(256, 32), sseKeepAliveMs),
    ...fleetHandlers(hosts),
    ...healthHandlers(hosts, metrics, kernel, tlsFingerprint),
    ...openapiHandlers(buildOpenApi(apiRoutes)),
  };
  mountRoutes(api, apiRoutes, handlers, requireWriter({ access: writeAccess, ...(authFailures ? { limiter: authFailures } : {}), ...(refusals ? { refusals } : {}) }));
  app.use(api);

  // Anything else under /api is a problem, not the page.
  app.use('/api', (req, _res, next) => next(new NotFoundError(`No API resource at ${req.method} ${req.originalUrl}`)));

  // The page opens the only host at once (its topology preloaded); with several it opens the fleet.
  const onlyHost = () => {
    const all = hosts.all();
    return all.length === 1 ? all[0]!.id : null;
  };
  if (webDir && existsSync(join(webDir, 'index.html'))) app.use(pageRoutes(webDir, onlyHost));

  app.use((req, _res, next) => next(new NotFoundError(`Nothing at ${req.method} ${req.originalUrl}`)));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(err, req.originalUrl);
    // A failure nothing explains (500) is logged with its stack; the 5xx the agent answers by design
    // (event streams full, a kernel write hung, a peer that does not answer) are what they say.
    if (problem.status === 500) logger.error({ err, url: req.originalUrl }, 'request failed');
    else if (problem.status > 500) logger.warn({ url: req.originalUrl, status: problem.status, type: problem.type, detail: problem.detail }, 'request refused');
    sendProblem(res, problem);
  });
  return app;
}

function requestLog(record: RequestRecorder) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? String(req.route.path) : req.path.startsWith('/api') ? 'other-api' : 'static';
      record(req, res, route, started);
    });
    next();
  };
}

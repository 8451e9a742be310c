import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/** Counts and logs one finished answer under the route that served it. */
export type RequestRecorder = (req: IncomingMessage, res: ServerResponse, route: string, started: bigint) => void;

export function requestRecorder(logger: Logger, metrics: Metrics): RequestRecorder {
  return (req, res, route, started) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    metrics.httpRequests.inc({ method: req.method ?? '', route, status: String(res.statusCode) });
    logger.debug({ method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
  };
}

import { UnknownResourceProblem, type VfmapEvent } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';
import { ANSWERED, route, type RouteHandlers } from './route';
import { HostParams } from './routeParams';

/** A comment line this often keeps proxies and NAT tables from dropping an idle stream. */
export const SSE_KEEP_ALIVE_MS = 15_000;

export const eventsRoutes = {
  getEvents: route({
    method: 'get',
    path: '/api/v1/hosts/:host/events',
    summary:
      'Server-sent events: `event: <type>` and `data: <VfmapEvent JSON>` — operation.started, operation.finished, topology.changed (after an operation, or when the periodic check sees the kernel or hypervisor change) — with a keep-alive comment every 15 s.',
    params: HostParams,
    answer: { description: 'an event stream; each data line is a VfmapEvent', contentType: 'text/event-stream' },
    problems: [UnknownResourceProblem],
  }),
};

/**
 * Server-sent events of one host: `event: <type>` and `data: <json>` per event (VfmapEvent),
 * a comment every `keepAliveMs`. The stream ends when the client goes; its subscription and
 * timer go with it.
 */
export function eventsHandlers(hosts: HostRegistry, keepAliveMs = SSE_KEEP_ALIVE_MS): RouteHandlers<typeof eventsRoutes> {
  return {
    getEvents: ({ params }, req, res) => {
      const host = hosts.get(params.host);
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.setHeader('Connection', 'keep-alive');
      // nginx would otherwise buffer the stream.
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      res.write('retry: 3000\n: connected\n\n');

      const send = (event: VfmapEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      const unsubscribe = host.subscribe(send);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
      keepAlive.unref();
      const stop = () => {
        clearInterval(keepAlive);
        unsubscribe();
      };
      req.on('close', stop);
      res.on('error', stop);
      return ANSWERED;
    },
  };
}

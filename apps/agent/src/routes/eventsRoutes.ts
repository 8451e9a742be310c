import { Router } from 'express';
import type { VfmapEvent } from '@vfmap/model';
import type { HostRegistry } from '../hostRegistry';

/** A comment line this often keeps proxies and NAT tables from dropping an idle stream. */
export const SSE_KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events of one host: `event: <type>` and `data: <json>` per event (VfmapEvent),
 * a comment every `keepAliveMs`. The stream ends when the client goes; its subscription and
 * timer go with it.
 */
export function eventsRoutes(hosts: HostRegistry, keepAliveMs = SSE_KEEP_ALIVE_MS): Router {
  const router = Router();
  router.get('/api/v1/hosts/:host/events', (req, res) => {
    const host = hosts.get(req.params.host);
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
  });
  return router;
}

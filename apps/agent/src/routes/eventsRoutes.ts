import type { Request, Response } from 'express';
import { z } from 'zod';
import { EventStreamsFullProblem, UnknownResourceProblem, type VfmapEvent } from '@vfmap/model';
import { EventStreamsFullError } from '../errors';
import type { EventClientLimit } from '../server/eventClientLimit';
import type { HostBackend } from '../hostBackend';
import type { HostRegistry } from '../hostRegistry';
import { isForwarded } from './forwarding';
import { fleetProblems } from './hostReadProblems';
import { ANSWERED, route, type RouteHandlers } from './route';
import { HostParams } from './routeParams';

/** A comment line this often keeps proxies and NAT tables from dropping an idle stream. */
export const SSE_KEEP_ALIVE_MS = 15_000;

const streamAnswer = { description: 'an event stream; each data line is a VfmapEvent', contentType: 'text/event-stream' } as const;

export const eventsRoutes = {
  getEvents: route({
    method: 'get',
    path: '/api/v1/hosts/:host/events',
    summary:
      'Server-sent events: `event: <type>`, `id: <id>` and `data: <VfmapEvent JSON>` — operation.started, operation.finished, topology.changed (after an operation, or when the periodic check sees the kernel or hypervisor change) — with a keep-alive comment every 15 s. A client that reconnects with Last-Event-ID gets the events it missed while this agent still keeps them. For a peer\'s host: one stream to its agent, shared by every listener here.',
    params: HostParams,
    answer: streamAnswer,
    problems: [UnknownResourceProblem, EventStreamsFullProblem, ...fleetProblems],
  }),
  getFleetEvents: route({
    method: 'get',
    path: '/api/v1/events',
    summary:
      "Server-sent events of every host this server knows, each with its `host`, plus host.status when a peer answers again, stops answering or refuses this server. A peer's events are asked of it only while someone listens here.",
    params: z.object({}),
    answer: streamAnswer,
    problems: [EventStreamsFullProblem],
  }),
};

/** How long a client refused a stream is asked to wait (Retry-After): long enough for streams to end, short enough for a page to come back. */
export const EVENT_STREAM_RETRY_AFTER_S = 10;

/**
 * A slot for the stream of this request's client, or the 503 it gets: the slot is given back when
 * the stream ends (openStream's `stop`).
 */
function slotFor(limit: EventClientLimit, req: Request, res: Response): () => void {
  const slot = limit.acquire(req.socket.remoteAddress);
  if ('release' in slot) return slot.release;
  res.setHeader('Retry-After', String(EVENT_STREAM_RETRY_AFTER_S));
  const { reason, limit: n } = slot.refused;
  throw new EventStreamsFullError(
    reason === 'event-streams-full'
      ? `The agent holds ${n} event streams, as many as it serves at once (--max-event-clients); try again later.`
      : `This client address holds ${n} event streams, its share (--max-event-clients-per-address); close one first.`,
    reason,
    n,
  );
}

/** Starts an event stream: headers, the retry hint, a keep-alive comment every `keepAliveMs`; `stop` runs when the client goes. */
function openStream(req: Request, res: Response, keepAliveMs: number, stop: () => void): (event: VfmapEvent, id?: string) => void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // nginx would otherwise buffer the stream.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 3000\n: connected\n\n');
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();
  let stopped = false;
  const end = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(keepAlive);
    stop();
  };
  req.on('close', end);
  res.on('close', end);
  res.on('error', end);
  // A client gone before the stream opened has no close event left to tell of it.
  if (req.socket.destroyed) end();
  return (event, id) => res.write(`event: ${event.type}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(event)}\n\n`);
}

/**
 * Server-sent events of one host, or of all: `event: <type>`, `id:` and `data: <json>` per event
 * (VfmapEvent), a comment every `keepAliveMs`. The stream ends when the client goes; its
 * subscriptions and timer go with it.
 */
export function eventsHandlers(hosts: HostRegistry, limit: EventClientLimit, keepAliveMs = SSE_KEEP_ALIVE_MS): RouteHandlers<typeof eventsRoutes> {
  return {
    getEvents: ({ params }, req, res) => {
      const host = hosts.get(params.host, isForwarded(req));
      const release = slotFor(limit, req, res);
      let unsubscribe = () => {};
      let ended = false;
      const send = openStream(req, res, keepAliveMs, () => {
        ended = true;
        unsubscribe();
        release();
      });
      const lastId = req.headers['last-event-id'];
      if (host.kind === 'local' && typeof lastId === 'string') {
        for (const missed of host.replay(lastId) ?? []) send(missed.event, missed.id);
      }
      unsubscribe = host.subscribe(send);
      // The client left before the subscription was made: nothing would undo it later.
      if (ended) unsubscribe();
      return ANSWERED;
    },
    getFleetEvents: (_input, req, res) => {
      const release = slotFor(limit, req, res);
      const subscriptions = new Map<string, () => void>();
      let offStatus = () => {};
      let ended = false;
      const send = openStream(req, res, keepAliveMs, () => {
        ended = true;
        offStatus();
        for (const off of subscriptions.values()) off();
        subscriptions.clear();
        release();
      });
      // The fan-in has no ids of its own: a client that reconnects reads the hosts again.
      const follow = (host: HostBackend) => {
        if (!ended && !subscriptions.has(host.id)) subscriptions.set(host.id, host.subscribe((event) => send(event)));
      };
      const shown = isForwarded(req) ? hosts.local() : hosts.all();
      for (const host of shown) follow(host);
      const fleet = isForwarded(req) || ended ? null : hosts.fleetEvents;
      if (fleet) {
        offStatus = fleet.onStatus((event) => {
          send(event);
          // A peer that answered for the first time (or came back under its own id) is followed from now on.
          const peer = fleet.get(event.host);
          if (peer) follow(peer);
        });
      }
      return ANSWERED;
    },
  };
}

import { VfmapEvent } from '@vfmap/model';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { hostPath, queryKeys } from './api';
import { EVENT_STREAM_CLOSED, useApiClient, type EventStream } from './apiClient';

/** A write in progress or just finished, by the PF or VF it changes. */
export interface OperationProgress {
  operationId: string;
  kind: 'numvfs' | 'assign' | 'release';
  target: string;
  startedAt: string;
  finished: { result: 'ok' | 'refused' | 'failed' | 'partial'; detail?: string; at: string } | null;
}

export interface HostEvents {
  /** events are flowing; the topology poll can slow down. */
  connected: boolean;
  operations: ReadonlyMap<string, OperationProgress>;
}

/** An endpoint that refused the stream (404 before the agent had events) is asked again this late. */
export const REOPEN_MS = 30_000;
/** A finished operation stays on its strip this long, so its result can be read. */
export const FINISHED_VISIBLE_MS = 6_000;

const EVENT_NAMES = ['message', 'topology.changed', 'operation.started', 'operation.finished'];

/**
 * Follows the agent's event stream for a host: a topology change refetches the topology at once,
 * operations are tracked for the strip they change. When the endpoint does not answer as a stream
 * the page relies on polling (useTopology's interval), and tries the stream again later.
 */
export function useHostEvents(host: string | null): HostEvents {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [operations, setOperations] = useState<ReadonlyMap<string, OperationProgress>>(new Map());

  useEffect(() => {
    const open = client.openEvents;
    if (host === null || open === null) return;
    let stream: EventStream | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    const clearTimers = new Set<ReturnType<typeof setTimeout>>();
    let disposed = false;

    const onData = (raw: string) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return;
      }
      const parsed = VfmapEvent.safeParse(json);
      if (!parsed.success || parsed.data.host !== host) return;
      const event = parsed.data;
      switch (event.type) {
        case 'topology.changed':
          void queryClient.invalidateQueries({ queryKey: queryKeys.topology(host) });
          break;
        case 'operation.started':
          setOperations((ops) =>
            new Map(ops).set(event.target, {
              operationId: event.operationId,
              kind: event.kind,
              target: event.target,
              startedAt: event.at,
              finished: null,
            }),
          );
          break;
        case 'operation.finished': {
          setOperations((ops) => {
            const started = ops.get(event.target);
            return new Map(ops).set(event.target, {
              operationId: event.operationId,
              kind: event.kind,
              target: event.target,
              startedAt: started?.startedAt ?? event.at,
              finished: { result: event.result, detail: event.detail, at: event.at },
            });
          });
          void queryClient.invalidateQueries({ queryKey: queryKeys.topology(host) });
          const t = setTimeout(() => {
            clearTimers.delete(t);
            setOperations((ops) => {
              if (ops.get(event.target)?.operationId !== event.operationId) return ops;
              const next = new Map(ops);
              next.delete(event.target);
              return next;
            });
          }, FINISHED_VISIBLE_MS);
          clearTimers.add(t);
          break;
        }
      }
    };

    const connect = () => {
      if (disposed) return;
      const s = open(new URL(hostPath(host, 'events'), client.baseUrl).toString());
      stream = s;
      s.onopen = () => {
        setConnected(true);
        // Whatever changed while the stream was down is fetched now, not at the next slow poll.
        void queryClient.invalidateQueries({ queryKey: queryKeys.topology(host) });
      };
      s.onerror = () => {
        setConnected(false);
        // EventSource reconnects by itself after a dropped stream; it gives up for good (CLOSED)
        // when the endpoint answers with an error or not as text/event-stream.
        if (s.readyState === EVENT_STREAM_CLOSED) {
          s.close();
          reopen = setTimeout(connect, REOPEN_MS);
        }
      };
      for (const name of EVENT_NAMES) s.addEventListener(name, (ev) => onData(ev.data));
    };
    connect();

    return () => {
      disposed = true;
      clearTimeout(reopen);
      for (const t of clearTimers) clearTimeout(t);
      stream?.close();
      setConnected(false);
      setOperations(new Map());
    };
  }, [client, host, queryClient]);

  return { connected, operations };
}

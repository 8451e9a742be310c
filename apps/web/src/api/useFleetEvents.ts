import { VfmapEvent } from '@vfmap/model';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { queryKeys } from './api';
import { EVENT_STREAM_CLOSED, useApiClient, type EventStream } from './apiClient';
import { REOPEN_MS } from './useHostEvents';

/** The fleet stream names its events by type; an agent may also send them unnamed. */
const EVENT_NAMES = ['message', 'host.status', 'topology.changed', 'operation.finished'];

/**
 * Follows the server's fleet stream (GET /api/v1/events, every host's events) while the fleet
 * overview is shown: a host that stops or starts answering (host.status), or whose VFs change,
 * has the host list and the search asked again at once instead of at the next poll. When the
 * stream is refused the 10 s poll carries on alone, and the stream is tried again later.
 */
export function useFleetEvents(enabled: boolean): { connected: boolean } {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const open = client.openEvents;
    if (!enabled || open === null) return;
    let stream: EventStream | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;

    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.hosts });
      void queryClient.invalidateQueries({ queryKey: queryKeys.fleetVfsAll });
    };
    const onData = (raw: string) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return;
      }
      const parsed = VfmapEvent.safeParse(json);
      if (!parsed.success) return;
      // A started operation changes nothing yet; its finish (or the topology change) does.
      if (parsed.data.type === 'host.status' || parsed.data.type === 'topology.changed' || parsed.data.type === 'operation.finished') refresh();
    };

    const connect = () => {
      if (disposed) return;
      const s = open(new URL('/api/v1/events', client.baseUrl).toString());
      stream = s;
      s.onopen = () => {
        setConnected(true);
        // Whatever changed while the stream was down is asked for now.
        refresh();
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
      stream?.close();
      setConnected(false);
    };
  }, [client, enabled, queryClient]);

  return { connected };
}

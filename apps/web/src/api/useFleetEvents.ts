import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { queryKeys } from './api';
import { useApiClient } from './apiClient';
import { followEvents } from './followEvents';

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
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.hosts });
      void queryClient.invalidateQueries({ queryKey: queryKeys.fleetVfsAll });
    };
    const stop = followEvents({
      open,
      url: new URL('/api/v1/events', client.baseUrl).toString(),
      names: EVENT_NAMES,
      // A started operation changes nothing yet; its finish (or the topology change) does.
      onEvent: (event) => {
        if (event.type !== 'operation.started') refresh();
      },
      onConnected: (now) => {
        setConnected(now);
        // Whatever changed while the stream was down is asked for now.
        if (now) refresh();
      },
    });
    return () => {
      stop();
      setConnected(false);
    };
  }, [client, enabled, queryClient]);

  return { connected };
}

import type { OperationKind, OperationResult, VfmapEvent } from '@vfmap/model';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { hostPath, queryKeys } from './api';
import { useApiClient } from './apiClient';
import { followEvents } from './followEvents';

/** A write in progress or just finished, by the PF or VF it changes. */
export interface OperationProgress {
  operationId: string;
  kind: OperationKind;
  target: string;
  startedAt: string;
  finished: { result: OperationResult; detail?: string; at: string } | null;
  /** the steps a multi-step operation (prepare, re-apply) has finished so far, in order (operation.progress). */
  steps?: readonly OperationStep[];
}

/** One finished step of a multi-step operation, as operation.progress says it. */
export interface OperationStep {
  step: number;
  of: number;
  description: string;
}

export interface HostEvents {
  /** events are flowing; the topology poll can slow down. */
  connected: boolean;
  operations: ReadonlyMap<string, OperationProgress>;
}

/** A finished operation stays on its strip this long, so its result can be read. */
export const FINISHED_VISIBLE_MS = 6_000;

const EVENT_NAMES = ['message', 'topology.changed', 'operation.started', 'operation.progress', 'operation.finished'];

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
    const clearTimers = new Set<ReturnType<typeof setTimeout>>();

    const onEvent = (event: VfmapEvent) => {
      if (event.host !== host) return;
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
              // a progress event that overtook its start keeps its steps
              ...(ops.get(event.target)?.operationId === event.operationId ? { steps: ops.get(event.target)!.steps ?? [] } : {}),
            }),
          );
          break;
        case 'operation.progress':
          setOperations((ops) => {
            const known = ops.get(event.target);
            const same = known?.operationId === event.operationId ? known : null;
            const step = { step: event.step, of: event.of, description: event.description };
            return new Map(ops).set(event.target, {
              operationId: event.operationId,
              kind: event.kind,
              target: event.target,
              startedAt: same?.startedAt ?? event.at,
              finished: same?.finished ?? null,
              steps: [...(same?.steps ?? []).filter((s) => s.step !== event.step), step],
            });
          });
          break;
        case 'operation.finished': {
          setOperations((ops) => {
            const started = ops.get(event.target);
            const same = started?.operationId === event.operationId ? started : null;
            return new Map(ops).set(event.target, {
              operationId: event.operationId,
              kind: event.kind,
              target: event.target,
              startedAt: started?.startedAt ?? event.at,
              finished: { result: event.result, detail: event.detail, at: event.at },
              ...(same?.steps ? { steps: same.steps } : {}),
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

    const stop = followEvents({
      open,
      url: new URL(hostPath(host, 'events'), client.baseUrl).toString(),
      names: EVENT_NAMES,
      onEvent,
      onConnected: (now) => {
        setConnected(now);
        // Whatever changed while the stream was down is fetched now, not at the next slow poll.
        if (now) void queryClient.invalidateQueries({ queryKey: queryKeys.topology(host) });
      },
    });

    return () => {
      stop();
      for (const t of clearTimers) clearTimeout(t);
      setConnected(false);
      setOperations(new Map());
    };
  }, [client, host, queryClient]);

  return { connected, operations };
}

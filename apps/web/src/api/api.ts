import { FleetVfList, HostList, Topology } from '@vfmap/model';
import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ApiClient } from './apiClient';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { getJson } from './fetchJson';
import { hostPath } from './paths';
import type { PreloadedQueries } from './preloadedQueries';

export { hostPath, pathSegment } from './paths';

/** How often the page asks for the topology when no event stream tells it about changes. */
export const POLL_MS = 5_000;
/** With events flowing, a slow poll still catches anything an event missed. */
export const POLL_WITH_EVENTS_MS = 60_000;
/** How often the fleet overview asks for the host list (statuses, counts); host.status events come in between. */
export const FLEET_POLL_MS = 10_000;

export const queryKeys = {
  hosts: ['hosts'] as const,
  topology: (host: string) => ['topology', host] as const,
  fleetVfsAll: ['fleet-vfs'] as const,
  fleetVfs: (params: string) => ['fleet-vfs', params] as const,
  persistence: (host: string) => ['persistence', host] as const,
};

export interface TopologyResult {
  topology: Topology;
  etag: string | null;
}

export async function fetchHosts(client: ApiClient, signal?: AbortSignal): Promise<HostList> {
  const result = await getJson(client, '/api/v1/hosts', HostList, { signal });
  if (result.kind === 'not-modified') throw new Error('GET /api/v1/hosts answered 304 to a request without a validator');
  return result.data;
}

/**
 * The topology, revalidated with the ETag of what we have: when the agent says 304 the very same
 * object comes back, so nothing downstream recomputes or redraws.
 */
export async function fetchTopology(
  client: ApiClient,
  host: string,
  previous: TopologyResult | undefined,
  signal?: AbortSignal,
): Promise<TopologyResult> {
  const result = await getJson(client, hostPath(host, 'topology'), Topology, { etag: previous?.etag, signal });
  if (result.kind === 'not-modified') {
    if (previous) return previous;
    throw new Error('the agent answered 304 to a request without a validator');
  }
  return { topology: result.data, etag: result.etag };
}

/** GET /api/v1/fleet/vfs with the query string of fleetVfParams. */
export async function fetchFleetVfs(client: ApiClient, params: string, signal?: AbortSignal): Promise<FleetVfList> {
  const result = await getJson(client, `/api/v1/fleet/vfs?${params}`, FleetVfList, { signal });
  if (result.kind === 'not-modified') throw new Error('GET /api/v1/fleet/vfs answered 304 to a request without a validator');
  return result.data;
}

/**
 * The host list. `hostToOpen` names the host the page will show once the list is in; its
 * topology is requested at once, instead of after the page has rendered the list.
 */
export function useHosts(
  hostToOpen: (list: HostList) => string | null = () => null,
  options: { pollMs?: (list: HostList | undefined) => number | false } = {},
) {
  const pollMs = options.pollMs ?? (() => false);
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useQuery<HostList, ApiError>({
    queryKey: queryKeys.hosts,
    queryFn: async ({ signal }) => {
      const list = await fetchHosts(client, signal);
      const host = hostToOpen(list);
      if (host !== null && !queryClient.getQueryData(queryKeys.topology(host))) {
        void queryClient.prefetchQuery(topologyQuery(client, queryClient, host));
      }
      return list;
    },
    refetchInterval: (query) => (query.state.status === 'error' ? POLL_MS : pollMs(query.state.data)),
  });
}

/**
 * VFs across the fleet for a query string (fleetVfParams), null for no search. While the words
 * change, the last answer stays on screen until the next one is in.
 */
export function useFleetVfs(params: string | null) {
  const client = useApiClient();
  return useQuery<FleetVfList, ApiError>({
    queryKey: queryKeys.fleetVfs(params ?? ''),
    queryFn: ({ signal }) => fetchFleetVfs(client, params ?? '', signal),
    enabled: params !== null,
    placeholderData: keepPreviousData,
    refetchInterval: FLEET_POLL_MS,
  });
}

function topologyQuery(client: ApiClient, queryClient: QueryClient, host: string) {
  return {
    queryKey: queryKeys.topology(host),
    queryFn: ({ signal }: { signal?: AbortSignal }) => fetchTopology(client, host, previousTopology(queryClient, host), signal),
    // An agent that did not answer gets one quick second chance; an answer that was an error
    // (problem+json, a bad body) would only say the same again. The poll retries anyway.
    retry: (failures: number, error: ApiError) => failures < 1 && error.failure.kind === 'unreachable',
  };
}

export function useTopology(host: string | null, options: { eventsConnected: boolean }) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useQuery<TopologyResult, ApiError>({
    ...topologyQuery(client, queryClient, host ?? ''),
    enabled: host !== null,
    refetchInterval: options.eventsConnected ? POLL_WITH_EVENTS_MS : POLL_MS,
  });
}

function previousTopology(queryClient: QueryClient, host: string): TopologyResult | undefined {
  return queryClient.getQueryData<TopologyResult>(queryKeys.topology(host));
}

/** Puts validated preloaded answers into the cache before the first render: the page starts with the graph. */
export function seedQueries(queryClient: QueryClient, seed: PreloadedQueries): void {
  if (seed.hosts) queryClient.setQueryData(queryKeys.hosts, seed.hosts);
  if (seed.topology) queryClient.setQueryData<TopologyResult>(queryKeys.topology(seed.topology.host), seed.topology.result);
}

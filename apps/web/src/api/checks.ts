import { HostChecks } from '@vfmap/model';
import { useQuery } from '@tanstack/react-query';
import type { ApiClient } from './apiClient';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { getJson } from './fetchJson';
import { hostPath } from './paths';

/** How often the checks are read again: they change with the host's boot, modules and links, rarely. */
export const CHECKS_POLL_MS = 60_000;

export const checksKey = (host: string) => ['checks', host] as const;

export async function fetchChecks(client: ApiClient, host: string, signal?: AbortSignal): Promise<HostChecks> {
  const result = await getJson(client, hostPath(host, 'checks'), HostChecks, { signal });
  if (result.kind === 'not-modified') throw new Error('GET checks answered 304 to a request without a validator');
  return result.data;
}

/** The host's checks (GET …/checks): what stops SR-IOV there, with the evidence and the fix. */
export function useChecks(host: string) {
  const client = useApiClient();
  return useQuery<HostChecks, ApiError>({
    queryKey: checksKey(host),
    queryFn: ({ signal }) => fetchChecks(client, host, signal),
    // An agent without the route (older than issue 15) says so once; asking again would say the same.
    refetchInterval: (query) => (query.state.error?.failure.kind === 'problem' && query.state.error.failure.problem.status === 404 ? false : CHECKS_POLL_MS),
    retry: false,
  });
}

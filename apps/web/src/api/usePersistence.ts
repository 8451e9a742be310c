import type { HostPersistence } from '@vfmap/model';
import { useQuery } from '@tanstack/react-query';
import { queryKeys } from './api';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { fetchPersistence } from './settingsWrites';

/*
 * What vfmap keeps for the host's next boot, read by the graph (kept marks) at first drawing;
 * the writes that change it (useSettingsWrites.ts) come later, with the details panel.
 */

/** How often the persistence is read again without a write of this page (an external change shows up). */
export const PERSISTENCE_POLL_MS = 30_000;

export function usePersistence(host: string) {
  const client = useApiClient();
  return useQuery<HostPersistence, ApiError>({
    queryKey: queryKeys.persistence(host),
    queryFn: ({ signal }) => fetchPersistence(client, host, signal),
    // An agent without the route (older than issue 14) says so once; asking again would say the same.
    refetchInterval: (query) => (query.state.error?.failure.kind === 'problem' && query.state.error.failure.problem.status === 404 ? false : PERSISTENCE_POLL_MS),
    retry: false,
  });
}

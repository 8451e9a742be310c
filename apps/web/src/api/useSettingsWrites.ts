import type { HostPersistence, PfWriteResult, PrepareRequest, PrepareResult, VfConfigChange, VfConfigResult, VfDriverResult } from '@vfmap/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { queryKeys, type TopologyResult } from './api';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { fetchPersistence, postPrepare, postReapply, putAutoprobe, putStableMacs, putVfConfig, putVfDriver } from './settingsWrites';
import { useWrite, type Write } from './useWrites';
import { useWriteAccess } from './writeAccess';
import { withWriteToken } from './withWriteToken';

/**
 * The writes of issue 14 as the page uses them, through the same mutation cache as the count and
 * assignments (so the strips and the busy reasons see them), each reading the host's persistence
 * again when it settles: every one of them changes what vfmap keeps for boot.
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

export function useVfConfigWrite(host: string, vf: string): Write<VfConfigChange, VfConfigResult> {
  const client = useApiClient();
  return useWrite(host, 'vfconfig', vf, (token, change: VfConfigChange, ifMatch) => putVfConfig(client, host, vf, change, token, ifMatch), [queryKeys.persistence(host)]);
}

export function useVfDriverWrite(host: string, vf: string): Write<{ driver: 'vfio-pci' | null }, VfDriverResult> {
  const client = useApiClient();
  return useWrite(host, 'vfdriver', vf, (token, request: { driver: 'vfio-pci' | null }, ifMatch) => putVfDriver(client, host, vf, request, token, ifMatch), [
    queryKeys.persistence(host),
  ]);
}

export function useAutoprobeWrite(host: string, pf: string): Write<{ enabled: boolean }, PfWriteResult> {
  const client = useApiClient();
  return useWrite(host, 'autoprobe', pf, (token, request: { enabled: boolean }, ifMatch) => putAutoprobe(client, host, pf, request, token, ifMatch), [
    queryKeys.persistence(host),
  ]);
}

export function useStableMacsWrite(host: string, pf: string): Write<{ enabled: boolean }, PfWriteResult> {
  const client = useApiClient();
  return useWrite(host, 'stablemacs', pf, (token, request: { enabled: boolean }, ifMatch) => putStableMacs(client, host, pf, request, token, ifMatch), [
    queryKeys.persistence(host),
  ]);
}

export function useReapplyWrite(host: string, pf: string): Write<void, PfWriteResult> {
  const client = useApiClient();
  return useWrite(host, 'reapply', pf, (token, _request: void, ifMatch) => postReapply(client, host, pf, token, ifMatch), [queryKeys.persistence(host)]);
}

export function usePrepareWrite(host: string, pf: string): Write<Omit<PrepareRequest, 'dryRun'>, PrepareResult> {
  const client = useApiClient();
  return useWrite(host, 'prepare', pf, (token, request: Omit<PrepareRequest, 'dryRun'>, ifMatch) => postPrepare(client, host, pf, request, token, ifMatch), [
    queryKeys.persistence(host),
  ]);
}

/**
 * The plan of a prepare (dryRun: nothing is written), asked with the token as the write is, since
 * the agent answers it on the write route. Not a write: it does not show on the strip.
 */
export function usePreparePlan(host: string, pf: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const access = useWriteAccess();
  const mutation = useMutation<PrepareResult | null, ApiError, Omit<PrepareRequest, 'dryRun'>>({
    mutationKey: ['plan', host, 'prepare', pf],
    mutationFn: (request) =>
      withWriteToken(access, (token) =>
        postPrepare(client, host, pf, { ...request, dryRun: true }, token, queryClient.getQueryData<TopologyResult>(queryKeys.topology(host))?.etag ?? null),
      ),
  });
  const { mutate, reset } = mutation;
  const ask = useCallback((request: Omit<PrepareRequest, 'dryRun'>) => mutate(request), [mutate]);
  return { ask, reset, plan: mutation.data ?? null, askedFor: mutation.variables ?? null, error: mutation.error, pending: mutation.isPending };
}

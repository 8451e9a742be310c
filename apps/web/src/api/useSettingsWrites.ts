import type { PfWriteResult, PrepareRequest, PrepareResult, VfConfigChange, VfConfigResult, VfDriverResult } from '@vfmap/model';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { queryKeys, type TopologyResult } from './api';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { postPrepare, postReapply, putAutoprobe, putStableMacs, putVfConfig, putVfDriver } from './settingsWrites';
import { useWrite, type Write } from './useWrites';
import { useWriteAccess } from './writeAccess';

export { PERSISTENCE_POLL_MS, usePersistence } from './usePersistence';
import { withWriteToken } from './withWriteToken';

/**
 * The writes of issue 14 as the page uses them, through the same mutation cache as the count and
 * assignments (so the strips and the busy reasons see them), each reading the host's persistence
 * again when it settles: every one of them changes what vfmap keeps for boot.
 */

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

import { AuditPage } from '@vfmap/model';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ApiClient } from './apiClient';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { getJson } from './fetchJson';
import { hostPath } from './paths';

/** Entries per page of the history; "load more" asks for this many more (the agent answers up to AUDIT_MAX). */
export const AUDIT_PAGE = 50;
/** The agent's most (AUDIT_MAX_LIMIT in apps/agent/src/routes/auditRoutes.ts). */
export const AUDIT_MAX = 1000;

export const auditKey = (host: string) => ['audit', host] as const;

/**
 * GET …/audit?limit=: the newest `limit` entries, newest first. The route pages by its limit
 * alone (no cursor), so the next page is the same request with a larger limit.
 */
export async function fetchAudit(client: ApiClient, host: string, limit: number, signal?: AbortSignal): Promise<AuditPage> {
  const result = await getJson(client, `${hostPath(host, 'audit')}?limit=${limit}`, AuditPage, { signal });
  if (result.kind === 'not-modified') throw new Error('GET audit answered 304 to a request without a validator');
  return result.data;
}

export function useAudit(host: string, limit: number) {
  const client = useApiClient();
  return useQuery<AuditPage, ApiError>({
    queryKey: [...auditKey(host), limit],
    queryFn: ({ signal }) => fetchAudit(client, host, limit, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

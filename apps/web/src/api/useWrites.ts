import type { AssignmentResult, NumVfsRequest, NumVfsResult, OperationKind } from '@vfmap/model';
import { useMutation, useMutationState, useQueryClient, type MutationState } from '@tanstack/react-query';
import { useCallback } from 'react';
import { queryKeys, type TopologyResult } from './api';
import { useApiClient } from './apiClient';
import type { ApiError } from './apiError';
import { useWriteAccess } from './writeAccess';
import { withWriteToken } from './withWriteToken';
import { deleteAssignment, postAssignment, putNumVfs } from './writes';

/**
 * The writes as react-query mutations, keyed by host, kind and target, so that any component
 * can see what runs where (the strip's progress, disabled controls) and the last result of a
 * target survives the details panel switching to another node and back.
 */
export const writeKeys = {
  host: (host: string) => ['write', host] as const,
  target: (host: string, kind: OperationKind, target: string) => ['write', host, kind, target] as const,
};

/** A write's state as the mutation cache holds it, with the request it sent (but not the token). */
export type WriteState<T, Req = unknown> = Omit<MutationState<T, ApiError, unknown, unknown>, 'variables'> & { mutationId: number; request: Req | undefined };

/** A write as a component uses it: `run` asks for the token if needed; `last` is the latest attempt on the target. */
export interface Write<Req, Res> {
  run(request: Req): Promise<void>;
  last: WriteState<Res, Req> | null;
  pending: boolean;
}

export function useWrite<Req, Res>(
  host: string,
  kind: OperationKind,
  target: string,
  send: (token: string, request: Req, ifMatch: string | null) => Promise<Res>,
  /** more queries the write can change (the host's persistence), read again when it settles. */
  alsoChanges: readonly (readonly unknown[])[] = [],
): Write<Req, Res> {
  const queryClient = useQueryClient();
  const access = useWriteAccess();
  const key = writeKeys.target(host, kind, target);
  const mutation = useMutation<Res, ApiError, { token: string; body: Req }>({
    mutationKey: key,
    // The ETag of the topology the page shows: a host that changed since answers 412 and nothing
    // the user did not see is overridden (the topology is read again on settling, below).
    mutationFn: ({ token, body }) => send(token, body, queryClient.getQueryData<TopologyResult>(queryKeys.topology(host))?.etag ?? null),
    // Whatever the result, the host may have changed (a partial change, a refusal on a state
    // the page had not seen yet): read it again. Events do the same; this covers polling.
    onSettled: async () => {
      await Promise.all([queryKeys.topology(host), ...alsoChanges].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
  const { mutateAsync } = mutation;
  const run = useCallback(
    async (request: Req) => {
      try {
        await withWriteToken(access, (token) => mutateAsync({ token, body: request }));
      } catch {
        // The mutation's state holds the error; `last` shows it.
      }
    },
    [access, mutateAsync],
  );
  const states = useMutationState({
    filters: { mutationKey: key, exact: true },
    // The cache holds mutations untyped; this key's are this hook's, so they carry Res and ApiError.
    select: (m): WriteState<Res, Req> => {
      const { variables, ...state } = m.state as MutationState<Res, ApiError, { token: string; body: Req } | undefined, unknown>;
      return { ...state, mutationId: m.mutationId, request: variables?.body };
    },
  });
  const last = states.at(-1) ?? null;
  return { run, last, pending: last?.status === 'pending' };
}

export function useNumVfsWrite(host: string, pf: string): Write<NumVfsRequest, NumVfsResult> {
  const client = useApiClient();
  return useWrite(host, 'numvfs', pf, (token, request: NumVfsRequest, ifMatch) => putNumVfs(client, host, pf, request, token, ifMatch));
}

export function useAssignWrite(host: string, vf: string): Write<{ vmId: string }, AssignmentResult> {
  const client = useApiClient();
  return useWrite(host, 'assign', vf, (token, request: { vmId: string }, ifMatch) => postAssignment(client, host, vf, request, token, ifMatch));
}

export function useReleaseWrite(host: string, vf: string): Write<void, AssignmentResult> {
  const client = useApiClient();
  return useWrite(host, 'release', vf, (token, _request, ifMatch) => deleteAssignment(client, host, vf, token, ifMatch));
}

/** A write this page has sent and not yet had an answer to. */
export interface WriteInFlight {
  kind: OperationKind;
  target: string;
  submittedAt: number;
}

/** Every write of this page to `host` still waiting for its answer. */
export function useWritesInFlight(host: string): WriteInFlight[] {
  return useMutationState({
    filters: { mutationKey: writeKeys.host(host), status: 'pending' },
    select: (m) => {
      const [, , kind, target] = m.options.mutationKey as ReturnType<typeof writeKeys.target>;
      return { kind, target, submittedAt: m.state.submittedAt };
    },
  });
}

import { AssignmentRequest, AssignmentResult, NumVfsRequest, NumVfsResult } from '@vfmap/model';
import { hostPath, pathSegment } from './api';
import type { ApiClient } from './apiClient';
import { sendJson } from './sendJson';

/**
 * The agent's write API. Bodies are parsed with the model's request schemas before they leave,
 * so nothing malformed reaches the agent; answers are parsed with the result schemas. `ifMatch`:
 * the ETag of the topology the page acts on (null: none, the write happens whatever the host shows).
 */

export function putNumVfs(client: ApiClient, host: string, pf: string, request: NumVfsRequest, token: string, ifMatch: string | null = null): Promise<NumVfsResult> {
  return sendJson(client, 'PUT', hostPath(host, `pfs/${pathSegment(pf)}/numvfs`), NumVfsResult, {
    body: NumVfsRequest.parse(request),
    token,
    ifMatch,
  });
}

export function postAssignment(client: ApiClient, host: string, vf: string, request: AssignmentRequest, token: string, ifMatch: string | null = null): Promise<AssignmentResult> {
  return sendJson(client, 'POST', hostPath(host, `vfs/${pathSegment(vf)}/assignment`), AssignmentResult, {
    body: AssignmentRequest.parse(request),
    token,
    ifMatch,
  });
}

export function deleteAssignment(client: ApiClient, host: string, vf: string, token: string, ifMatch: string | null = null): Promise<AssignmentResult> {
  return sendJson(client, 'DELETE', hostPath(host, `vfs/${pathSegment(vf)}/assignment`), AssignmentResult, { token, ifMatch });
}

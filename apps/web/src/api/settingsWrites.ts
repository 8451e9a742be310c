import {
  AutoprobeRequest,
  HostPersistence,
  PfWriteResult,
  PrepareRequest,
  PrepareResult,
  StableMacsRequest,
  VfConfigChange,
  VfConfigResult,
  VfDriverRequest,
  VfDriverResult,
} from '@vfmap/model';
import { hostPath, pathSegment } from './paths';
import type { ApiClient } from './apiClient';
import { getJson } from './fetchJson';
import { sendJson } from './sendJson';

/**
 * The writes of a VF's settings and a PF's persistence (issue 14), as writes.ts sends the count
 * and assignments: bodies parsed with the model's request schemas before they leave, answers with
 * the result schemas, the bearer token and the topology's ETag as If-Match.
 */

export function putVfConfig(client: ApiClient, host: string, vf: string, change: VfConfigChange, token: string, ifMatch: string | null = null): Promise<VfConfigResult> {
  return sendJson(client, 'PUT', hostPath(host, `vfs/${pathSegment(vf)}/config`), VfConfigResult, { body: VfConfigChange.parse(change), token, ifMatch });
}

export function putVfDriver(client: ApiClient, host: string, vf: string, request: VfDriverRequest, token: string, ifMatch: string | null = null): Promise<VfDriverResult> {
  return sendJson(client, 'PUT', hostPath(host, `vfs/${pathSegment(vf)}/driver`), VfDriverResult, { body: VfDriverRequest.parse(request), token, ifMatch });
}

export function putAutoprobe(client: ApiClient, host: string, pf: string, request: AutoprobeRequest, token: string, ifMatch: string | null = null): Promise<PfWriteResult> {
  return sendJson(client, 'PUT', hostPath(host, `pfs/${pathSegment(pf)}/autoprobe`), PfWriteResult, { body: AutoprobeRequest.parse(request), token, ifMatch });
}

export function putStableMacs(client: ApiClient, host: string, pf: string, request: StableMacsRequest, token: string, ifMatch: string | null = null): Promise<PfWriteResult> {
  return sendJson(client, 'PUT', hostPath(host, `pfs/${pathSegment(pf)}/stable-macs`), PfWriteResult, { body: StableMacsRequest.parse(request), token, ifMatch });
}

/** With dryRun: the plan only, nothing written. Without: the operation, its steps reported as operation.progress events. */
export function postPrepare(client: ApiClient, host: string, pf: string, request: PrepareRequest, token: string, ifMatch: string | null = null): Promise<PrepareResult> {
  return sendJson(client, 'POST', hostPath(host, `pfs/${pathSegment(pf)}/prepare`), PrepareResult, { body: PrepareRequest.parse(request), token, ifMatch });
}

export function postReapply(client: ApiClient, host: string, pf: string, token: string, ifMatch: string | null = null): Promise<PfWriteResult> {
  return sendJson(client, 'POST', hostPath(host, `pfs/${pathSegment(pf)}/reapply`), PfWriteResult, { token, ifMatch });
}

export async function fetchPersistence(client: ApiClient, host: string, signal?: AbortSignal): Promise<HostPersistence> {
  const result = await getJson(client, hostPath(host, 'persistence'), HostPersistence, { signal });
  if (result.kind === 'not-modified') throw new Error('GET persistence answered 304 to a request without a validator');
  return result.data;
}

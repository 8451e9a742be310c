import { PROBLEM_CONTENT_TYPE } from '@vfmap/model';
import type { z } from 'zod';
import type { ApiClient } from './apiClient';
import { parseBody, throwIfFailed, unreachable } from './readResponse';

/**
 * A write: PUT, POST or DELETE with a JSON body (when there is one) and the bearer token, its
 * answer parsed with `schema`. `ifMatch` is the ETag of the topology the page drew: the agent
 * answers 412 instead of writing when the host has changed since. Failures are ApiErrors, as for reads.
 */
export async function sendJson<S extends z.ZodType>(
  client: ApiClient,
  method: 'PUT' | 'POST' | 'DELETE',
  path: string,
  schema: S,
  options: { body?: unknown; token: string; ifMatch?: string | null; signal?: AbortSignal },
): Promise<z.output<S>> {
  const url = new URL(path, client.baseUrl).toString();
  const headers: Record<string, string> = {
    accept: `application/json, ${PROBLEM_CONTENT_TYPE}`,
    authorization: `Bearer ${options.token}`,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;

  let response: Response;
  try {
    response = await client.fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (err) {
    throw unreachable(err, url, options.signal);
  }
  await throwIfFailed(response, url);
  return parseBody(response, url, schema);
}

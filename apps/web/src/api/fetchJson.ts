import { PROBLEM_CONTENT_TYPE } from '@vfmap/model';
import type { z } from 'zod';
import type { ApiClient } from './apiClient';
import { parseBody, throwIfFailed, unreachable } from './readResponse';

export type FetchResult<T> = { kind: 'ok'; data: T; etag: string | null } | { kind: 'not-modified' };

/**
 * GET a JSON resource and parse it with its schema. With an ETag, asks for the resource only if
 * it changed; a 304 comes back as `not-modified` so the caller keeps what it has. Every failure
 * becomes an ApiError with a kind the page can explain.
 */
export async function getJson<S extends z.ZodType>(
  client: ApiClient,
  path: string,
  schema: S,
  options: { etag?: string | null; signal?: AbortSignal } = {},
): Promise<FetchResult<z.output<S>>> {
  const url = new URL(path, client.baseUrl).toString();
  const headers: Record<string, string> = { accept: `application/json, ${PROBLEM_CONTENT_TYPE}` };
  if (options.etag) headers['if-none-match'] = options.etag;

  let response: Response;
  try {
    // no-store: the page does its own revalidation with If-None-Match and wants to see the 304.
    response = await client.fetch(url, { headers, cache: 'no-store', signal: options.signal });
  } catch (err) {
    throw unreachable(err, url, options.signal);
  }

  if (response.status === 304) return { kind: 'not-modified' };
  await throwIfFailed(response, url);
  return { kind: 'ok', data: await parseBody(response, url, schema), etag: response.headers.get('etag') };
}

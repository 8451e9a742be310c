import { PROBLEM_CONTENT_TYPE, Problem } from '@vfmap/model';
import type { z } from 'zod';
import { ApiError } from './apiError';
import type { ApiClient } from './apiClient';

export type FetchResult<T> = { kind: 'ok'; data: T; etag: string | null } | { kind: 'not-modified' };

/** Gateways answer these when the agent behind them is down; that is "unreachable", not a bug. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

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
    if (options.signal?.aborted) throw err;
    throw new ApiError({ kind: 'unreachable', url, message: err instanceof Error ? err.message : String(err) });
  }

  if (response.status === 304) return { kind: 'not-modified' };

  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    if (contentType.includes(PROBLEM_CONTENT_TYPE) || contentType.includes('json')) {
      const problem = parseProblem(body);
      if (problem) throw new ApiError({ kind: 'problem', url, problem });
    }
    if (GATEWAY_STATUSES.has(response.status)) {
      throw new ApiError({ kind: 'unreachable', url, message: `${response.status} ${response.statusText} from the server in between`.trim() });
    }
    throw new ApiError({ kind: 'http', url, status: response.status, statusText: response.statusText, body: body.slice(0, 2000) });
  }

  let json: unknown;
  try {
    json = await response.json();
  } catch (err) {
    throw new ApiError({ kind: 'invalid', url, message: `not JSON (${err instanceof Error ? err.message : String(err)})`, issues: [] });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ApiError({
      kind: 'invalid',
      url,
      message: `${issues.length} field${issues.length === 1 ? '' : 's'} do not match the schema`,
      issues: issues.slice(0, 20),
    });
  }
  return { kind: 'ok', data: parsed.data, etag: response.headers.get('etag') };
}

function parseProblem(body: string): Problem | null {
  try {
    const parsed = Problem.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

import { PROBLEM_CONTENT_TYPE, ProblemAnswer } from '@vfmap/model';
import type { z } from 'zod';
import { ApiError } from './apiError';

/** Gateways answer these when the agent behind them is down; that is "unreachable", not a bug. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Turns an error answer into an ApiError the page can explain: the agent's problem+json when it
 * sent one, "unreachable" for a gateway with no agent behind it, else the status and body.
 */
export async function throwIfFailed(response: Response, url: string): Promise<void> {
  if (response.ok) return;
  const contentType = response.headers.get('content-type') ?? '';
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

/** The body of a successful answer, parsed with its schema; every mismatch names its field. */
export async function parseBody<S extends z.ZodType>(response: Response, url: string, schema: S): Promise<z.output<S>> {
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
  return parsed.data;
}

/** A fetch that threw (no answer at all) as an ApiError; an abort is passed on as it is. */
export function unreachable(err: unknown, url: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return err;
  return new ApiError({ kind: 'unreachable', url, message: err instanceof Error ? err.message : String(err) });
}

/** Any problem+json, a newer agent's too: the page shows what it does not know by title and detail. */
function parseProblem(body: string): ProblemAnswer | null {
  try {
    const parsed = ProblemAnswer.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

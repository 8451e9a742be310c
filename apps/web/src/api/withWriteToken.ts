import { ProblemType } from '@vfmap/model';
import { ApiError } from './apiError';

export type TokenAsk = 'first' | 'rejected';

/** The part of the write access a write needs: the token, a way to ask for it, and what to do on a refusal. */
export interface TokenSource {
  currentToken(): string | null;
  /** asks the person; null when they cancel. */
  askToken(reason: TokenAsk): Promise<string | null>;
  forgetToken(): void;
  markReadOnly(detail: string): void;
}

/**
 * Sends a write with the token, asking for one when there is none. An agent that refuses the
 * token (401) makes the page forget it and ask again; an agent started with --read-only (403)
 * is remembered as such, so the page can disable its write controls. Null when the person
 * cancels the token dialog: nothing was written.
 */
export async function withWriteToken<T>(access: TokenSource, send: (token: string) => Promise<T>): Promise<T | null> {
  let reason: TokenAsk = 'first';
  for (;;) {
    const token = access.currentToken() ?? (await access.askToken(reason));
    if (token === null) return null;
    try {
      return await send(token);
    } catch (err) {
      if (isUnauthorized(err)) {
        access.forgetToken();
        reason = 'rejected';
        continue;
      }
      if (isReadOnly(err)) access.markReadOnly(err.failure.kind === 'problem' ? (err.failure.problem.detail ?? err.message) : err.message);
      throw err;
    }
  }
}

export function isUnauthorized(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const f = err.failure;
  return (f.kind === 'problem' && (f.problem.type === ProblemType.unauthorized || f.problem.status === 401)) || (f.kind === 'http' && f.status === 401);
}

export function isReadOnly(err: unknown): err is ApiError {
  return err instanceof ApiError && err.failure.kind === 'problem' && err.failure.problem.type === ProblemType.readOnly;
}

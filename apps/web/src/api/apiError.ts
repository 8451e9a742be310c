import type { ProblemAnswer } from '@vfmap/model';

/**
 * Every way a request to the agent can fail, as a value the page can say something precise
 * about: nobody answered, the agent explained (problem+json), something else answered with an
 * error, or the answer did not match the contract.
 */
export type ApiFailure =
  | { kind: 'unreachable'; url: string; message: string }
  | { kind: 'problem'; url: string; problem: ProblemAnswer }
  | { kind: 'http'; url: string; status: number; statusText: string; body: string }
  | { kind: 'invalid'; url: string; message: string; issues: string[] };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly failure: ApiFailure) {
    super(messageOf(failure));
  }
}

export function messageOf(f: ApiFailure): string {
  switch (f.kind) {
    case 'unreachable':
      return `The vfmap agent does not answer (${f.message}).`;
    case 'problem':
      return f.problem.detail ? `${f.problem.title}: ${f.problem.detail}` : f.problem.title;
    case 'http':
      return `${f.url} answered ${f.status} ${f.statusText}`.trim();
    case 'invalid':
      return `${f.url} answered something vfmap does not understand: ${f.message}`;
  }
}

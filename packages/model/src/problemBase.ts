import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem types the API answers with; the page and scripts may switch on them. */
export const ProblemType = {
  notFound: 'urn:vfmap:problem:not-found',
  badRequest: 'urn:vfmap:problem:bad-request',
  unauthorized: 'urn:vfmap:problem:unauthorized',
  readOnly: 'urn:vfmap:problem:read-only',
  refused: 'urn:vfmap:problem:refused',
  conflict: 'urn:vfmap:problem:conflict',
  kernel: 'urn:vfmap:problem:kernel',
  hypervisor: 'urn:vfmap:problem:hypervisor',
  partial: 'urn:vfmap:problem:partial',
  internal: 'urn:vfmap:problem:internal',
  unavailable: 'urn:vfmap:problem:unavailable',
  peer: 'urn:vfmap:problem:peer',
  misdirected: 'urn:vfmap:problem:misdirected',
  preconditionFailed: 'urn:vfmap:problem:precondition-failed',
  tooManyFailures: 'urn:vfmap:problem:too-many-failures',
} as const;
export type ProblemTypeUri = (typeof ProblemType)[keyof typeof ProblemType];

/** The RFC 9457 members every problem has besides its type and status. */
const problemHead = {
  title: z.string().describe('what went wrong, in a few words'),
  detail: z.string().optional().describe('what went wrong here, in a sentence or two'),
  instance: z.string().optional().describe('the request URL'),
};

/**
 * One kind of problem: its `type`, the statuses it is sent with, and the fields it adds to the
 * RFC 9457 members. Unknown fields are dropped when parsing, so a reader keeps only what it
 * knows the meaning of.
 */
export function problemVariant<const T extends ProblemTypeUri, const S extends readonly [number, ...number[]], F extends z.ZodRawShape>(
  type: T,
  statuses: S,
  fields: F,
) {
  return z.object({ type: z.literal(type), status: z.literal(statuses), ...problemHead, ...fields });
}

/**
 * Any problem+json answer, including one from a newer agent whose type or fields this code does not
 * know: what a client can always show (title, detail, status, type, and every other field as it
 * came). `Problem` says what each known type means.
 */
export const ProblemAnswer = z
  .object({
    type: z.string().describe('stable identifier of the kind of problem, e.g. "urn:vfmap:problem:not-found"'),
    status: z.number().int().min(400).max(599),
    ...problemHead,
  })
  .catchall(z.unknown());
export type ProblemAnswer = z.infer<typeof ProblemAnswer>;

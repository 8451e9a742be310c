import { z } from 'zod';

/** RFC 9457 problem details. `type` is a stable URI per kind of problem. */
export const Problem = z
  .object({
    type: z.string().describe('stable identifier of the kind of problem, e.g. "urn:vfmap:problem:not-found"'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
  })
  .catchall(z.unknown());
export type Problem = z.infer<typeof Problem>;

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
} as const;

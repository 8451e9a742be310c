import type { Response } from 'express';
import { ZodError } from 'zod';
import { PROBLEM_CONTENT_TYPE, ProblemType, type Problem } from '@vfmap/model';
import { SysfsError } from '@vfmap/sysfs';
import { HypervisorError, type HypervisorErrorCode } from '@vfmap/hypervisors';
import { BadRequestError, NotFoundError, UnavailableError } from '../errors';

/**
 * The one table from error values to RFC 9457 problems. Routes throw typed errors; nothing
 * here matches on message text.
 */
export function toProblem(err: unknown, instance?: string): Problem {
  const base = instance === undefined ? {} : { instance };
  if (err instanceof NotFoundError) {
    return { type: ProblemType.notFound, title: 'Not found', status: 404, detail: err.message, ...base };
  }
  if (err instanceof BadRequestError) {
    return { type: ProblemType.badRequest, title: 'Bad request', status: 400, detail: err.message, issues: err.issues, ...base };
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return {
      type: ProblemType.badRequest,
      title: 'Bad request',
      status: 400,
      detail: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
      issues,
      ...base,
    };
  }
  if (err instanceof UnavailableError) {
    return { type: ProblemType.unavailable, title: 'Unavailable', status: 503, detail: err.message, ...base };
  }
  if (err instanceof SysfsError) {
    return { type: ProblemType.kernel, title: 'The kernel refused', status: 500, detail: err.message, errno: err.code, path: err.path, ...base };
  }
  if (err instanceof HypervisorError) {
    const { type, status, title } = hypervisorProblem[err.code];
    return {
      type,
      title,
      status,
      code: err.code,
      detail: err.message,
      command: err.command,
      exitStatus: err.exitStatus,
      stderr: err.stderr,
      ...base,
    };
  }
  if (isBodyParserError(err)) {
    return { type: ProblemType.badRequest, title: 'Bad request', status: err.status, detail: `The request body is not valid JSON: ${err.message}`, ...base };
  }
  return { type: ProblemType.internal, title: 'Internal error', status: 500, detail: 'The agent failed unexpectedly; its log has the details.', ...base };
}

/** A refusal the hypervisor adapter made itself is the client's problem; a failed command is not. */
const hypervisorProblem: Record<HypervisorErrorCode, { type: string; status: number; title: string }> = {
  'unknown-vm': { type: ProblemType.notFound, status: 404, title: 'No such VM' },
  'already-assigned': { type: ProblemType.conflict, status: 409, title: 'The VM already has that device' },
  'not-assigned': { type: ProblemType.conflict, status: 409, title: 'The VM does not have that device' },
  'no-free-slot': { type: ProblemType.conflict, status: 409, title: 'The VM has no free passthrough slot' },
  unsupported: { type: ProblemType.refused, status: 409, title: 'The hypervisor cannot do that' },
  'invalid-request': { type: ProblemType.badRequest, status: 400, title: 'Bad request' },
  'bad-state': { type: ProblemType.hypervisor, status: 500, title: 'The hypervisor state could not be read' },
  'command-failed': { type: ProblemType.hypervisor, status: 502, title: 'The hypervisor refused' },
  'command-missing': { type: ProblemType.hypervisor, status: 502, title: 'The hypervisor tool is missing' },
  timeout: { type: ProblemType.hypervisor, status: 504, title: 'The hypervisor did not answer in time' },
};

function isBodyParserError(err: unknown): err is { status: number; message: string; type: string } {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed';
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

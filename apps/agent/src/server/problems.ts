import type { Response } from 'express';
import { ZodError } from 'zod';
import { PROBLEM_CONTENT_TYPE, ProblemType, type Problem } from '@vfmap/model';
import { SysfsError } from '@vfmap/sysfs';
import { HypervisorError } from '@vfmap/hypervisors';
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
    return {
      type: ProblemType.hypervisor,
      title: 'The hypervisor failed',
      status: 502,
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

function isBodyParserError(err: unknown): err is { status: number; message: string; type: string } {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed';
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

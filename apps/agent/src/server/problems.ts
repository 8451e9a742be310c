import type { Response } from 'express';
import { ZodError } from 'zod';
import { PROBLEM_CONTENT_TYPE, ProblemType, type Problem } from '@vfmap/model';
import { SysfsError } from '@vfmap/sysfs';
import { HypervisorError, type HypervisorErrorCode } from '@vfmap/hypervisors';
import { BadRequestError, NoKernelError, NotFoundError, ReadOnlyError, UnauthorizedError, UnavailableError } from '../errors';
import { KernelWriteFailed, OperationRefused, PartialNumVfsChange, type RefusalReason } from '../operations/errors';

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
  if (err instanceof UnauthorizedError) {
    return { type: ProblemType.unauthorized, title: 'Unauthorized', status: 401, detail: err.message, ...base };
  }
  if (err instanceof ReadOnlyError) {
    return { type: ProblemType.readOnly, title: 'The agent is read-only', status: 403, detail: err.message, ...base };
  }
  if (err instanceof NoKernelError) {
    // Not --read-only: the hypervisor's assignments still work, only the kernel cannot be written.
    return { type: ProblemType.kernel, title: 'The agent has no kernel to write to', status: 409, detail: err.message, ...base };
  }
  if (err instanceof OperationRefused) {
    const { type, status, title } = refusalProblem[err.reason];
    return { type, title, status, detail: err.message, reason: err.reason, ...err.details, ...base };
  }
  if (err instanceof KernelWriteFailed) {
    const { status, title } = numVfsErrnoProblem[err.errno] ?? { status: 500, title: 'The kernel refused the VF count' };
    return { type: ProblemType.kernel, title, status, detail: err.message, errno: err.errno, path: err.path, pf: err.pf, value: err.value, ...base };
  }
  if (err instanceof PartialNumVfsChange) {
    return {
      type: ProblemType.partial,
      title: 'The VF count change stopped half-way',
      status: 500,
      detail: err.message,
      errno: err.errno,
      path: err.path,
      stoppedAt: { numVfs: err.countNow, wrote: '0', refused: String(err.requested) },
      previousCount: err.previousCount,
      requested: err.requested,
      pf: err.pf,
      ...(err.pfNow ? { pfNow: err.pfNow } : {}),
      ...base,
    };
  }
  if (err instanceof UnavailableError) {
    return { type: ProblemType.unavailable, title: 'Unavailable', status: 503, detail: err.message, ...base };
  }
  if (err instanceof SysfsError) {
    return { type: ProblemType.kernel, title: 'A sysfs read or write failed', status: 500, detail: err.message, errno: err.code, path: err.path, ...base };
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

/** Why the operations module refused, as the client sees it: what does not exist is 404, what the host's state forbids 409. */
const refusalProblem: Record<RefusalReason, { type: string; status: number; title: string }> = {
  'unknown-pf': { type: ProblemType.notFound, status: 404, title: 'No such PF' },
  'not-a-pf': { type: ProblemType.refused, status: 422, title: 'Not an SR-IOV PF' },
  'count-out-of-range': { type: ProblemType.refused, status: 422, title: 'More VFs than the PF supports' },
  'vfs-held': { type: ProblemType.conflict, status: 409, title: 'VMs hold VFs this change destroys' },
  'unknown-vf': { type: ProblemType.notFound, status: 404, title: 'No such VF' },
  'not-a-vf': { type: ProblemType.refused, status: 422, title: 'Not a VF' },
  'vf-held': { type: ProblemType.conflict, status: 409, title: 'The VF is already held by a VM' },
  'vf-not-held': { type: ProblemType.conflict, status: 409, title: 'No VM holds the VF' },
  'iommu-group-shared': { type: ProblemType.refused, status: 409, title: 'The VF shares its IOMMU group' },
  'no-iommu-group': { type: ProblemType.refused, status: 409, title: 'The VF has no IOMMU group' },
  'unknown-vm': { type: ProblemType.notFound, status: 404, title: 'No such VM' },
};

/**
 * The errno of a refused sriov_numvfs write (probe.txt): a conflict with the host's state is 409,
 * a value the kernel will not take 422, and an agent that may not write (not root) is its own
 * failure, 500. Anything else is 500 too; the detail carries the kernel's word.
 */
const numVfsErrnoProblem: Record<string, { status: number; title: string }> = {
  EBUSY: { status: 409, title: 'VFs are already enabled on the PF' },
  ENOENT: { status: 409, title: 'No driver is bound to the PF' },
  ERANGE: { status: 422, title: 'More VFs than the PF supports' },
  EINVAL: { status: 422, title: 'The kernel did not accept the VF count' },
  EACCES: { status: 500, title: 'The agent may not write to sysfs' },
  EPERM: { status: 500, title: 'The agent may not write to sysfs' },
  EROFS: { status: 409, title: 'sysfs is mounted read-only where the agent runs' },
};

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

import type { Response } from 'express';
import { z, ZodError } from 'zod';
import { NumVfsWriteRefusedProblem, PROBLEM_CONTENT_TYPE, ProblemType, type Problem } from '@vfmap/model';
import { SysfsError } from '@vfmap/sysfs';
import { HypervisorError } from '@vfmap/hypervisors';
import { AuthFailuresError, EventStreamsFullError, BadRequestError, MisdirectedError, NoKernelError, NotFoundError, PeerError, ReadOnlyError, UnauthorizedError, UnavailableError, UnreadableBodyError, MalformedRequestError } from '../errors';
import { KernelWriteFailed, KernelWriteHung, OperationRefused, PartialNumVfsChange, PreconditionFailed, StepsStopped, VfSettingRefused } from '../operations/errors';
import { VfDriverStepFailed } from '../operations/vfDriverErrors';

/**
 * The one table from error values to RFC 9457 problems. Routes throw typed errors; nothing
 * here matches on message text. Every row builds a problem of a variant in @vfmap/model
 * (typed as `Problem`), so the compiler refuses a status, reason or field the schema does not allow.
 */
export function toProblem(err: unknown, instance?: string): Problem {
  const problem = problemOf(err);
  return instance === undefined ? problem : { ...problem, instance };
}

function problemOf(err: unknown): Problem {
  if (err instanceof NotFoundError) return { type: ProblemType.notFound, status: 404, title: 'Not found', detail: err.message };
  if (err instanceof BadRequestError) return { type: ProblemType.badRequest, status: 400, title: 'Bad request', detail: err.message, issues: err.issues };
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return { type: ProblemType.badRequest, status: 400, title: 'Bad request', detail, issues };
  }
  if (err instanceof UnreadableBodyError) {
    const { status, title } = unreadableBodyProblems[err.reason];
    return { type: ProblemType.badRequest, status, title, detail: err.message };
  }
  if (err instanceof MalformedRequestError) {
    const { status, title } = malformedRequestProblems[err.reason];
    return { type: ProblemType.badRequest, status, title, detail: err.message };
  }
  if (err instanceof UnauthorizedError) return { type: ProblemType.unauthorized, status: 401, title: 'Unauthorized', detail: err.message };
  if (err instanceof ReadOnlyError) return { type: ProblemType.readOnly, status: 403, title: 'The agent is read-only', detail: err.message };
  if (err instanceof NoKernelError) {
    // Not --read-only: the hypervisor's assignments still work, only the kernel cannot be written.
    return { type: ProblemType.kernel, status: 409, title: 'The agent has no kernel to write to', detail: err.message, reason: 'no-kernel' };
  }
  if (err instanceof OperationRefused) return refusalProblem(err);
  if (err instanceof PreconditionFailed) {
    return { type: ProblemType.preconditionFailed, status: 412, title: 'The host changed since it was read', detail: err.message, etag: err.etag, pfEtag: err.pfEtag, pf: err.pf };
  }
  if (err instanceof KernelWriteFailed) {
    const { status, title } = numVfsErrnoProblem[err.errno] ?? { status: 500, title: 'The kernel refused the VF count' };
    return { type: ProblemType.kernel, status, title, detail: err.message, errno: err.errno, path: err.path, pf: err.pf, value: err.value };
  }
  if (err instanceof KernelWriteHung) {
    const title = err.status === 504 ? 'The kernel write did not return in time' : 'A kernel write on the PF is still running';
    return { type: ProblemType.kernel, status: err.status, title, detail: err.message, reason: 'write-hung', errno: 'ETIMEDOUT', path: err.path, pf: err.pf, value: err.value, waitedMs: Math.round(err.waitedMs) };
  }
  if (err instanceof PartialNumVfsChange) {
    return {
      type: ProblemType.partial,
      status: 500,
      title: 'The VF count change stopped half-way',
      detail: err.message,
      errno: err.errno,
      path: err.path,
      stoppedAt: { numVfs: err.countNow, wrote: '0', refused: String(err.requested) },
      previousCount: err.previousCount,
      requested: err.requested,
      pf: err.pf,
      ...(err.pfNow ? { pfNow: err.pfNow } : {}),
    };
  }
  if (err instanceof StepsStopped) {
    return {
      type: ProblemType.partial,
      status: err.refused ? 409 : 500,
      title: err.done.length > 0 ? 'The operation stopped part-way' : 'The operation\'s first step failed',
      detail: err.message,
      reason: 'steps-stopped',
      pf: err.pf,
      done: [...err.done],
      failed: err.failed,
      cause: err.why,
      ...(err.pfNow ? { pfNow: err.pfNow } : {}),
    };
  }
  if (err instanceof VfSettingRefused) return vfSettingProblem(err);
  if (err instanceof VfDriverStepFailed) return vfDriverProblem(err);
  if (err instanceof MisdirectedError) {
    return { type: ProblemType.misdirected, status: 421, title: err.reason === 'host-header' ? 'Not a name of this agent' : 'Not forwarded again', detail: err.message, reason: err.reason };
  }
  if (err instanceof PeerError) {
    return { type: ProblemType.peer, status: err.timeout ? 504 : 502, title: err.timeout ? 'The host did not answer in time' : 'The host could not be reached', detail: err.message, host: err.host, sent: err.sent };
  }
  if (err instanceof EventStreamsFullError) {
    return { type: ProblemType.unavailable, status: 503, title: 'Too many event streams', detail: err.message, reason: err.reason, limit: err.limit };
  }
  if (err instanceof AuthFailuresError) {
    return { type: ProblemType.tooManyFailures, status: 429, title: 'Too many failed authentications', detail: err.message, retryAfter: err.retryAfterSeconds };
  }
  if (err instanceof UnavailableError) return { type: ProblemType.unavailable, status: 503, title: 'Unavailable', detail: err.message };
  if (err instanceof SysfsError) return { type: ProblemType.kernel, status: 500, title: 'A sysfs read or write failed', detail: err.message, errno: err.code, path: err.path };
  if (err instanceof HypervisorError) return hypervisorProblem(err);
  const body = bodyParserProblem(err);
  if (body) return body;
  return { type: ProblemType.internal, status: 500, title: 'Internal error', detail: 'The agent failed unexpectedly; its log has the details.' };
}

/** Why the operations module refused, as the client sees it: what does not exist is 404, what the address names is the wrong kind of thing 422, what the host's state forbids 409. */
function refusalProblem(err: OperationRefused): Problem {
  const r = err.refusal;
  const detail = err.message;
  switch (r.reason) {
    case 'unknown-pf':
      return { type: ProblemType.notFound, status: 404, title: 'No such PF', detail, ...r };
    case 'unknown-vf':
      return { type: ProblemType.notFound, status: 404, title: 'No such VF', detail, ...r };
    case 'unknown-vm':
      return { type: ProblemType.notFound, status: 404, title: 'No such VM', detail, ...r };
    case 'not-a-pf':
      return { type: ProblemType.refused, status: 422, title: 'Not an SR-IOV PF', detail, ...r };
    case 'count-out-of-range':
      return { type: ProblemType.refused, status: 422, title: 'More VFs than the PF supports', detail, ...r };
    case 'not-a-vf':
      return { type: ProblemType.refused, status: 422, title: 'Not a VF', detail, ...r };
    case 'iommu-group-shared':
      return { type: ProblemType.refused, status: 409, title: 'The VF shares its IOMMU group', detail, ...r };
    case 'no-net-interface':
      return { type: ProblemType.refused, status: 422, title: 'The PF has no network interface', detail, ...r };
    case 'no-vf-settings':
      return { type: ProblemType.refused, status: 409, title: 'The VF\'s settings cannot be read or set', detail, ...r };
    case 'no-permanent-mac':
      return { type: ProblemType.refused, status: 422, title: 'The PF reports no permanent MAC', detail, ...r };
    case 'no-iommu-group':
      return { type: ProblemType.refused, status: 409, title: 'The VF has no IOMMU group', detail, ...r };
    case 'vfs-held':
      return { type: ProblemType.conflict, status: 409, title: 'VMs hold VFs this change destroys', detail, ...r };
    case 'management-path':
      return { type: ProblemType.conflict, status: 409, title: "The PF carries the host's management path", detail, ...r };
    case 'vf-held':
      return { type: ProblemType.conflict, status: 409, title: 'The VF is already held by a VM', detail, ...r };
    case 'vf-not-held':
      return { type: ProblemType.conflict, status: 409, title: 'No VM holds the VF', detail, ...r };
    case 'vf-held-by-process':
      return { type: ProblemType.conflict, status: 409, title: 'A running process holds the VF', detail, ...r };
    case 'vf-in-use':
      return { type: ProblemType.conflict, status: 409, title: 'A running VM uses the VF', detail, ...r };
    case 'driver-not-loaded':
      return { type: ProblemType.refused, status: 409, title: 'The driver is not loaded', detail, ...r };
  }
}

/**
 * A VF's driver change that stopped at a step: undone, it is the kernel's refusal (409 for the
 * host's state; 500 when the agent may not write); not undone, a partial change whose problem says
 * how the VF is left.
 */
function vfDriverProblem(err: VfDriverStepFailed): Problem {
  const fields = {
    detail: err.message,
    vf: err.vf,
    driver: err.driver,
    failed: err.failed,
    errno: err.errno,
    path: err.path,
    driverNow: err.now.driver,
    driverOverrideNow: err.now.driverOverride,
  };
  if (err.undoFailed !== null) {
    return { type: ProblemType.partial, status: 500, title: 'The VF driver change stopped half-way', reason: 'vf-driver-partial', ...fields, undoFailed: err.undoFailed };
  }
  const agentsOwn = err.errno === 'EACCES' || err.errno === 'EPERM';
  return { type: ProblemType.kernel, status: agentsOwn ? 500 : 409, title: agentsOwn ? 'The agent may not write to sysfs' : 'The kernel did not change the VF\'s driver', reason: 'vf-driver-failed', ...fields };
}

/**
 * The errno of a refused sriov_numvfs write (probe.txt): a conflict with the host's state is 409,
 * a value the kernel will not take 422, and an agent that may not write (not root) is its own
 * failure, 500. Anything else is 500 too; the detail carries the kernel's word.
 */
const numVfsErrnoProblem: Record<string, { status: z.infer<typeof NumVfsWriteRefusedProblem>['status']; title: string }> = {
  EBUSY: { status: 409, title: 'VFs are already enabled on the PF' },
  ENOENT: { status: 409, title: 'No driver is bound to the PF' },
  ERANGE: { status: 422, title: 'More VFs than the PF supports' },
  EINVAL: { status: 422, title: 'The kernel did not accept the VF count' },
  EACCES: { status: 500, title: 'The agent may not write to sysfs' },
  EPERM: { status: 500, title: 'The agent may not write to sysfs' },
  EROFS: { status: 409, title: 'sysfs is mounted read-only where the agent runs' },
};

/**
 * What the PF's driver said to a VF setting: a setting this driver cannot set (EOPNOTSUPP,
 * EPROTONOSUPPORT, EINVAL: igb's `state`, 802.1ad, `min_tx_rate`) is 422; the host's state
 * (EBUSY) 409; `ip` killed after its timeout 504; anything else (no `ip`, EPERM) the agent's, 500.
 */
function vfSettingProblem(err: VfSettingRefused): Problem {
  const d = err.details;
  const status = d.timedOut ? 504 : d.errno === 'EBUSY' ? 409 : d.errno !== null && VALUE_ERRNOS.has(d.errno) ? 422 : 500;
  const title = status === 422 ? "The NIC's driver cannot set this VF setting" : status === 504 ? 'ip did not finish in time' : status === 409 ? 'The PF is busy' : 'A VF setting could not be applied';
  return {
    type: ProblemType.kernel,
    status,
    title,
    detail: err.message,
    reason: 'vf-setting-refused',
    pf: d.pf,
    interface: d.interface,
    vfIndex: d.vfIndex,
    ...(d.vf ? { vf: d.vf } : {}),
    driver: d.driver,
    setting: d.setting,
    command: [...d.command],
    exitStatus: d.exitStatus,
    errno: d.errno,
    stderr: d.stderr,
    applied: [...d.applied],
    ...(d.vfNow ? { vfNow: d.vfNow } : {}),
  };
}

const VALUE_ERRNOS = new Set(['EOPNOTSUPP', 'EPROTONOSUPPORT', 'EINVAL', 'ERANGE', 'EADDRNOTAVAIL']);

/** A refusal the hypervisor adapter made itself is the client's problem; a failed command is not. */
function hypervisorProblem(err: HypervisorError): Problem {
  const ran = { detail: err.message, command: err.command ? [...err.command] : null, exitStatus: err.exitStatus, stderr: err.stderr };
  switch (err.code) {
    case 'unknown-vm':
      return { type: ProblemType.notFound, status: 404, title: 'No such VM', code: err.code, ...ran };
    case 'invalid-request':
      return { type: ProblemType.badRequest, status: 400, title: 'Bad request', code: err.code, ...ran };
    case 'unsupported':
      return { type: ProblemType.refused, status: 409, title: 'The hypervisor cannot do that', code: err.code, ...ran };
    case 'already-assigned':
      return { type: ProblemType.conflict, status: 409, title: 'The VM already has that device', code: err.code, ...ran };
    case 'not-assigned':
      return { type: ProblemType.conflict, status: 409, title: 'The VM does not have that device', code: err.code, ...ran };
    case 'no-free-slot':
      return { type: ProblemType.conflict, status: 409, title: 'The VM has no free passthrough slot', code: err.code, ...ran };
    case 'bad-state':
      return { type: ProblemType.hypervisor, status: 500, title: 'The hypervisor state could not be read', code: err.code, ...ran };
    case 'command-failed':
      return { type: ProblemType.hypervisor, status: 502, title: 'The hypervisor refused', code: err.code, ...ran };
    case 'command-missing':
      return { type: ProblemType.hypervisor, status: 502, title: 'The hypervisor tool is missing', code: err.code, ...ran };
    case 'timeout':
      return { type: ProblemType.hypervisor, status: 504, title: 'The hypervisor did not answer in time', code: err.code, ...ran };
  }
}

/**
 * express.json()'s errors (body-parser marks each with a `type`): a body that is not JSON, too
 * large (the limit is 64 kB) or in an encoding it does not read is the client's to fix.
 */
const bodyParserProblems: Record<string, { status: 400 | 413 | 415; title: string; detail: string }> = {
  'entity.parse.failed': { status: 400, title: 'Bad request', detail: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, title: 'The request body is too large', detail: 'The request body is larger than the agent reads' },
  'encoding.unsupported': { status: 415, title: 'Unsupported body encoding', detail: 'The request body is in a content encoding the agent does not read' },
  'charset.unsupported': { status: 415, title: 'Unsupported body charset', detail: 'The request body is in a charset the agent does not read' },
  'request.size.invalid': { status: 400, title: 'Bad request', detail: 'The request body is not as long as its Content-Length says' },
  'request.aborted': { status: 400, title: 'Bad request', detail: 'The request body was cut off' },
};

/** The agent's own refusals of a body (server/requestGuards.ts), before express.json() reads it. */
const unreadableBodyProblems: Record<UnreadableBodyError['reason'], { status: 413 | 415; title: string }> = {
  'too-large': { status: 413, title: 'The request body is too large' },
  'not-json': { status: 415, title: 'The request body is not JSON' },
};

const malformedRequestProblems: Record<MalformedRequestError['reason'], { status: 400 | 408 | 431; title: string }> = {
  malformed: { status: 400, title: 'Not a valid HTTP request' },
  timeout: { status: 408, title: 'The request was not sent in time' },
  'headers-too-large': { status: 431, title: 'The request line and headers are too large' },
};

function bodyParserProblem(err: unknown): Problem | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, message } = err as { type?: unknown; message?: unknown };
  const row = typeof type === 'string' && Object.hasOwn(bodyParserProblems, type) ? bodyParserProblems[type] : undefined;
  if (!row) return null;
  return { type: ProblemType.badRequest, status: row.status, title: row.title, detail: `${row.detail}: ${String(message)}` };
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

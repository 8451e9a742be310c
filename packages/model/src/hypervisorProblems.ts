import { z } from 'zod';
import { problemVariant, ProblemType } from './problemBase';

/**
 * What the hypervisor adapter answered (packages/hypervisors' HypervisorError): its `code`, and
 * the command it ran with how that ended. A refusal of the request keeps the type of the
 * agent's own refusals; a failure to carry it out is `hypervisor`.
 */
const commandFields = {
  command: z.array(z.string()).nullable().describe('the command as run (argument array), null when none was run'),
  exitStatus: z.number().int().nullable(),
  stderr: z.string().describe('what the command printed on stderr'),
};

export const HypervisorUnknownVmProblem = problemVariant(ProblemType.notFound, [404], { code: z.literal('unknown-vm'), ...commandFields }).describe(
  'the hypervisor has no such VM',
);

export const HypervisorInvalidRequestProblem = problemVariant(ProblemType.badRequest, [400], { code: z.literal('invalid-request'), ...commandFields }).describe(
  'the VM id or address is not of a form the hypervisor accepts',
);

export const HypervisorUnsupportedProblem = problemVariant(ProblemType.refused, [409], { code: z.literal('unsupported'), ...commandFields }).describe(
  'the hypervisor cannot do that (the "none" hypervisor; a Proxmox entry passing several devices at once)',
);

export const HypervisorConflictProblem = problemVariant(ProblemType.conflict, [409], {
  code: z.enum(['already-assigned', 'not-assigned', 'no-free-slot']),
  ...commandFields,
}).describe("the VM's configuration already names the device, does not name it, or has no free passthrough slot");

export const HypervisorStateProblem = problemVariant(ProblemType.hypervisor, [500], { code: z.literal('bad-state'), ...commandFields }).describe(
  "the hypervisor's configuration or state could not be read or trusted",
);

export const HypervisorCommandProblem = problemVariant(ProblemType.hypervisor, [502], {
  code: z.enum(['command-failed', 'command-missing']),
  ...commandFields,
}).describe("the hypervisor's tool (qm, virsh) failed, or is not installed");

export const HypervisorTimeoutProblem = problemVariant(ProblemType.hypervisor, [504], { code: z.literal('timeout'), ...commandFields }).describe(
  "the hypervisor's tool did not answer in time and was killed",
);

import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { HolderSource, Pf, Vf, Vm } from './topology';

/** The writes the agent performs; every one goes through the agent's operations module. */
export const OperationKind = z.enum(['numvfs', 'assign', 'release', 'vfconfig', 'vfdriver', 'autoprobe', 'stablemacs', 'prepare', 'reapply', 'persist']);
export type OperationKind = z.infer<typeof OperationKind>;

/**
 * How an operation ended: `ok` (done, or nothing to do), `refused` (checked and not attempted),
 * `failed` (attempted; the kernel or hypervisor said no and nothing changed), `partial` (attempted,
 * and stopped between two steps: VFs disabled, the new count refused), `interrupted` (the agent
 * stopped — killed, crashed, the machine lost power — after it began to act and before it saw the
 * end; written at its next start, with the target as it then read).
 */
export const OperationResult = z.enum(['ok', 'refused', 'failed', 'partial', 'interrupted']);
export type OperationResult = z.infer<typeof OperationResult>;

/** Body of PUT /api/v1/hosts/:host/pfs/:pf/numvfs. */
export const NumVfsRequest = z
  .object({
    count: z.number().int().min(0).describe('VFs wanted on the PF, 0 to disable SR-IOV; at most the PF\'s totalVfs'),
    force: z
      .boolean()
      .optional()
      .describe('destroy VFs that VMs hold (their configurations keep naming them); without it such a change is refused with 409'),
  })
  .strict();
export type NumVfsRequest = z.infer<typeof NumVfsRequest>;

/** Body of POST /api/v1/hosts/:host/vfs/:vf/assignment. */
export const AssignmentRequest = z
  .object({
    vmId: z.string().min(1).describe('the VM to give the VF to, as topology.vms lists it'),
  })
  .strict();
export type AssignmentRequest = z.infer<typeof AssignmentRequest>;

/** A VF a VM's configuration names or a running process holds: what a count change would take away from the VM. */
export const HeldVf = z.object({
  address: PciAddress,
  index: z.number().int().nonnegative(),
  vmId: z.string(),
  vmName: z.string(),
  recreated: z
    .boolean()
    .describe('the VF comes back at the same address after the change (index < new count), though the VM loses it meanwhile'),
  source: HolderSource.optional().describe(
    "how this VM holds the VF: its configuration names it (config), a running process holds it and no configuration of that VM names it (running), or both; a configuration naming a VF that is not recreated would name a missing device",
  ),
});
export type HeldVf = z.infer<typeof HeldVf>;

/** Answer of a numvfs change: the PF as sysfs shows it after the change. */
export const NumVfsResult = z.object({
  operationId: z.string(),
  pf: Pf.describe('the PF re-read from sysfs after the change'),
  previousCount: z.number().int().nonnegative(),
  count: z.number().int().nonnegative().describe('sriov_numvfs as the kernel reads it now'),
  changed: z.boolean().describe('false when the PF already had the count asked for (nothing was written)'),
  destroyed: z.array(PciAddress).describe('VFs the change removed (every VF of the PF when it had any: the kernel changes a non-zero count only through 0)'),
  created: z.array(PciAddress),
  forced: z.array(HeldVf).describe('VFs held by VMs that were destroyed because force was given'),
  message: z.string(),
});
export type NumVfsResult = z.infer<typeof NumVfsResult>;

/** Answer of giving a VF to a VM or taking it back. */
export const AssignmentResult = z.object({
  operationId: z.string(),
  vf: Vf.describe('the VF re-read after the change, with its holder'),
  vm: Vm,
  effect: z
    .enum(['live', 'next-start'])
    .describe('live: the running VM has the change now; next-start: only its configuration changed, it takes effect when the VM (re)starts'),
  via: z.string().describe('where the VM configuration names (or named) the VF: hostpci2, hostdev, ...'),
  message: z.string(),
});
export type AssignmentResult = z.infer<typeof AssignmentResult>;

import { z } from 'zod';
import { PciAddress } from '@vfmap/model';

/**
 * Version 1 of the desired state (before issue 14): the VF counts the operator asked for, to set again after a reboot: the kernel forgets
 * sriov_numvfs at boot, and this (with the audit log) is all the agent keeps on disk
 * (ARCHITECTURE principle 4). The PF's vendor and device ids are kept with the count, so that a
 * different card in the same slot after a hardware change is not given a count meant for another.
 */
export const DesiredPf = z.object({
  count: z.number().int().nonnegative(),
  vendorId: z.string(),
  deviceId: z.string(),
  setAt: z.string().datetime({ offset: true }),
});
export type DesiredPf = z.infer<typeof DesiredPf>;

export const DesiredNumVfsFile = z.object({
  version: z.literal(1),
  pfs: z.record(PciAddress, DesiredPf),
});
export type DesiredNumVfsFile = z.infer<typeof DesiredNumVfsFile>;

// desiredFile.ts reads this file when desired.json does not exist yet, and replaces it at the first change.

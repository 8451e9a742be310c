import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';

export const CheckScope = z.enum(['host', 'pf']);
export type CheckScope = z.infer<typeof CheckScope>;

export const CheckStatus = z
  .enum(['ok', 'warn', 'fail', 'unknown'])
  .describe('ok: nothing stops SR-IOV here; warn: works, with a cost or a risk; fail: stops passthrough or VFs; unknown: the facts could not be read');
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckEvidence = z
  .object({
    path: z.string().describe('the file or directory read, as the host names it (/proc/cmdline)'),
    value: z.string().describe('what it held, shortened; "(absent)" when it is not there'),
  })
  .describe('one fact a check rests on');
export type CheckEvidence = z.infer<typeof CheckEvidence>;

export const CheckFix = z
  .object({
    proxmox: z.string().describe('the fix on Proxmox VE (commands or file edits); empty when nothing is to be done'),
    debian: z.string().describe('the fix on Debian with libvirt'),
  })
  .describe('what to do about it, per platform');
export type CheckFix = z.infer<typeof CheckFix>;

export const Check = z
  .object({
    id: z.string().describe('stable id of the kind of check: iommu, vfio-modules, shared-iommu-groups, sriov-switched-off, management-path, host-driver-vfs, pf-link, totalvfs-limited, not-kept'),
    scope: CheckScope,
    target: PciAddress.nullable().describe('the PF or device the check is about; null for the host'),
    status: CheckStatus,
    title: z.string().describe('the finding in one line'),
    evidence: z.array(CheckEvidence),
    why: z.string().describe('why it matters for SR-IOV and passthrough'),
    fix: CheckFix,
  })
  .describe('one answer to "what stops SR-IOV here": status, the facts read, why, and the fix');
export type Check = z.infer<typeof Check>;

export const HostChecks = z
  .object({
    host: z.string(),
    checks: z.array(Check).describe('host checks first, then per PF or device in address order'),
  })
  .describe('the checks of one host (GET /hosts/:host/checks)');
export type HostChecks = z.infer<typeof HostChecks>;

import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';

export const DRIFT_KINDS = [
  'held-not-configured',
  'configured-not-held',
  'holds-a-different-vf',
  'stale-reservation',
  'vfio-bound-without-holder',
  'config-names-missing-vf',
  'group-shared-with-another-vm',
] as const;

export const DriftKind = z
  .enum(DRIFT_KINDS)
  .describe(
    'held-not-configured: a running VM holds a device no config gives it; configured-not-held: a running VM\'s config names a device its process does not hold (pending, or a failed hot-plug); ' +
      'holds-a-different-vf: the VM holds another device than its config names (a mapping pool\'s pick, or a shared IOMMU group); stale-reservation: qemu-server\'s pci-id-reservations names a process that is gone; ' +
      'vfio-bound-without-holder: a VF on vfio-pci that nothing holds or configures (unusable for the host); config-names-missing-vf: a VM config names a device this host does not have (the VM fails at its next start); ' +
      'group-shared-with-another-vm: a held device shares its IOMMU group with a device another VM holds (isolation broken; only one of them can start)',
  );
export type DriftKind = z.infer<typeof DriftKind>;

export const DriftSeverity = z.enum(['info', 'warn', 'fail']).describe('info: worth knowing; warn: a risk or a leak; fail: something will not start or work');
export type DriftSeverity = z.infer<typeof DriftSeverity>;

export const DriftEvidence = z
  .object({
    path: z.string().describe('the file read: a VM config, /proc/<pid>/cmdline, /run/qemu-server/pci-id-reservations, a sysfs link'),
    value: z.string().describe('the line or value found there'),
  })
  .describe('one fact a drift finding rests on');
export type DriftEvidence = z.infer<typeof DriftEvidence>;

export const DriftFinding = z
  .object({
    kind: DriftKind,
    severity: DriftSeverity,
    address: z.string().describe('the device the finding is about: a PCI function, or the slot (dddd:bb:dd) or function a config names that this host lacks'),
    pf: PciAddress.nullable().describe('the PF whose VF this is; null when the device is no VF (or no longer exists)'),
    vmId: z.string().nullable().describe('the VM the finding is about: the holder, or the VM whose config names the device'),
    vmName: z.string().nullable(),
    otherVmId: z.string().nullable().describe('the other VM involved: the one a config names where another holds (holds-a-different-vf), the one holding a group peer (group-shared-with-another-vm)'),
    title: z.string().describe('the finding in one line'),
    why: z.string().describe('what it means and what will happen'),
    fix: z.string().describe('what to do about it'),
    evidence: z.array(DriftEvidence),
  })
  .describe('one place where the VM configurations and what runs on the host disagree');
export type DriftFinding = z.infer<typeof DriftFinding>;

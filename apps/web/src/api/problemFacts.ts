import { PciAddress, type Problem } from '@vfmap/model';
import { z } from 'zod';

/**
 * What a write's problem says beyond its title and detail, read with schemas from the fields the
 * agent adds (server/problems.ts): the VMs a refused count change would hurt, the kernel's errno,
 * where a half-done change stopped, the IOMMU group members, the VF's current holder. A field
 * that does not match is left out rather than shown wrong.
 */
export interface ProblemFacts {
  errno: string | null;
  vms: { vmId: string; vmName: string; vfs: string[] }[];
  stoppedAt: { numVfs: number; wrote: string; refused: string } | null;
  iommu: { group: number; members: string[] } | null;
  holder: { vmId: string; vmName: string; via: string } | null;
  totalVfs: number | null;
  /** the hypervisor command that failed, and what it printed. */
  command: { command: string; stderr: string | null } | null;
}

const Errno = z.object({ errno: z.string() });
const Vms = z.object({ vms: z.array(z.object({ vmId: z.string(), vmName: z.string(), vfs: z.array(PciAddress) })) });
const StoppedAt = z.object({ stoppedAt: z.object({ numVfs: z.number().int(), wrote: z.string(), refused: z.string() }) });
const Iommu = z.object({ iommuGroup: z.number().int(), members: z.array(z.string()) });
const HolderField = z.object({ holder: z.object({ vmId: z.string(), vmName: z.string(), via: z.string() }) });
const TotalVfs = z.object({ totalVfs: z.number().int() });
const Command = z.object({ command: z.union([z.string(), z.array(z.string())]), stderr: z.string().nullish() });

export function problemFacts(problem: Problem): ProblemFacts {
  const pick = <T extends z.ZodType>(schema: T): z.output<T> | null => {
    const parsed = schema.safeParse(problem);
    return parsed.success ? parsed.data : null;
  };
  const iommu = pick(Iommu);
  const command = pick(Command);
  return {
    errno: pick(Errno)?.errno ?? null,
    vms: pick(Vms)?.vms ?? [],
    stoppedAt: pick(StoppedAt)?.stoppedAt ?? null,
    iommu: iommu ? { group: iommu.iommuGroup, members: iommu.members } : null,
    holder: pick(HolderField)?.holder ?? null,
    totalVfs: pick(TotalVfs)?.totalVfs ?? null,
    command: command
      ? { command: Array.isArray(command.command) ? command.command.join(' ') : command.command, stderr: command.stderr?.trim() || null }
      : null,
  };
}

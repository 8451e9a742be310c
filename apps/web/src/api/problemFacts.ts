import { Problem, type HolderSource, type ProblemAnswer } from '@vfmap/model';

/**
 * What a write's problem says beyond its title and detail, read with the model's schema of each
 * problem the agent sends (packages/model, *Problems.ts): the VMs a refused count change would
 * hurt, the kernel's errno, where a half-done change stopped, the IOMMU group members, the VF's
 * current holder, the command the hypervisor failed. A problem that matches no known variant (a
 * newer agent's) has no facts: nothing is shown wrong.
 */
export interface ProblemFacts {
  errno: string | null;
  /** each VM a refused count change would hurt: how it holds the VFs, and those its configuration would name though gone. */
  vms: { vmId: string; vmName: string; holds: HolderSource; vfs: string[]; configNamesMissing: string[] }[];
  /** numVfs is null when the agent could not read the count back. */
  stoppedAt: { numVfs: number | null; wrote: string; refused: string } | null;
  iommu: { group: number; members: string[] } | null;
  holder: { vmId: string; vmName: string; via: string } | null;
  totalVfs: number | null;
  /** the hypervisor command that failed, and what it printed. */
  command: { command: string; stderr: string | null } | null;
}

const NO_FACTS: ProblemFacts = { errno: null, vms: [], stoppedAt: null, iommu: null, holder: null, totalVfs: null, command: null };

export function problemFacts(answer: ProblemAnswer): ProblemFacts {
  const parsed = Problem.safeParse(answer);
  if (!parsed.success) return NO_FACTS;
  const p = parsed.data;
  return {
    errno: 'errno' in p ? p.errno : null,
    vms: 'vms' in p ? p.vms : [],
    stoppedAt: 'stoppedAt' in p ? p.stoppedAt : null,
    iommu: 'members' in p ? { group: p.iommuGroup, members: p.members } : null,
    holder: 'holder' in p ? { vmId: p.holder.vmId, vmName: p.holder.vmName, via: p.holder.via } : null,
    totalVfs: 'totalVfs' in p ? p.totalVfs : null,
    command: 'command' in p && p.command ? { command: p.command.join(' '), stderr: p.stderr.trim() || null } : null,
  };
}

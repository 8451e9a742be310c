import { comparePciAddresses, type AuditWho, type RunningFacts } from '@vfmap/model';
import { readRunningQemus, type Hypervisor } from '@vfmap/hypervisors';
import { createAgentCore, type AgentCore } from '../agentCore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { Logger } from '../logger';
import type { Scanner } from '../scanner';
import type { DesiredStore } from './desiredStore';
import { toProblem } from '../server/problems';

export interface ApplyDesiredOptions {
  root: string;
  stateDir: string;
  hypervisor: Hypervisor;
  scanner: Scanner;
  writer: PrivilegedSteps;
  /** What vfmap keeps per PF beyond the count; a PF kept there is re-applied whole (count, VF settings, stable MACs, drivers). */
  desiredState?: DesiredStore;
  logger: Logger;
  /** Destroy VFs that VMs hold when a PF has another non-zero count (not so at boot, when VFs start at 0). */
  force: boolean;
  /** What running QEMU processes hold; by default read from `<root>/proc` (apply-desired runs as root). */
  runningHolders?: () => Promise<RunningFacts>;
}

export interface ApplyDesiredReport {
  /** One line per PF, for people (and the journal, under systemd). */
  lines: string[];
  /** PFs left at another count than the one kept: refused, failed, missing, or a different device now. */
  notApplied: number;
}

/**
 * `vfmap apply-desired`: sets each PF's VF count kept in `<stateDir>/desired.json` again,
 * through the operations module (same checks, same audit log, principal "apply-desired"). The
 * kernel forgets sriov_numvfs at reboot, so this runs at boot, before the VMs start. A PF that is
 * gone, or whose vendor:device differs from the one the count was set for (another card in the
 * slot), is skipped and reported. A PF kept with more than its count is re-applied whole through
 * the re-apply operation — count, autoprobe, each kept VF setting and stable MAC, each kept
 * driver — which never destroys VFs that VMs hold (with --force the count is set first, as alone).
 */
/**
 * apply-desired puts back at boot what the operator chose to keep: the management-path refusal,
 * which guards a live link against a change about to be made, does not apply (managementPath.ts).
 */
const AT_BOOT = { atBoot: true } as const;

export async function applyDesired(options: ApplyDesiredOptions): Promise<ApplyDesiredReport> {
  // apply-desired runs as root: it reads the QEMU processes itself, so that a VF a running process
  // holds (a VM already started, a QEMU started by hand) is not destroyed without --force.
  const core = await createAgentCore({ ...options, runningHolders: options.runningHolders ?? (() => readRunningQemus(options.root)) });
  // desired.json (desired-numvfs.json of older versions is read as its counts).
  const desired = await core.desired.read();
  const { topology } = await core.service.get();
  const lines: string[] = [];
  let notApplied = 0;
  const who = { principal: 'apply-desired', address: null };

  for (const address of Object.keys(desired).sort(comparePciAddresses)) {
    const want = desired[address]!;
    const pf = topology.pfs.find((p) => p.address === address);
    if (!pf) {
      lines.push(`${address}: skipped: no SR-IOV PF at this address now (${want.count} VFs were wanted)`);
      notApplied++;
      continue;
    }
    if (pf.vendorId !== want.vendorId || pf.deviceId !== want.deviceId) {
      lines.push(`${address}: skipped: the count ${want.count} was set for a ${want.vendorId}:${want.deviceId}, and this is a ${pf.vendorId}:${pf.deviceId}`);
      notApplied++;
      continue;
    }
    // Only a count kept (what a count change records): set it, as `PUT …/numvfs` would.
    const countOnly = want.vfs.length === 0 && !want.stableMacs && want.driversAutoprobe === null;
    if (countOnly || options.force) {
      try {
        // --force: the count first, even where VMs hold VFs it destroys (re-apply never does that).
        const result = await core.operations.setNumVfs(address, { count: want.count, force: options.force }, who, null, AT_BOOT);
        if (countOnly) {
          lines.push(result.changed ? `${address}: ${result.count} VFs (was ${result.previousCount})` : `${address}: ${result.count} VFs already`);
          continue;
        }
      } catch (err) {
        lines.push(`${address}: not applied: ${toProblem(err).detail ?? String(err)}`);
        notApplied++;
        continue;
      }
    }
    // More kept (VF settings, drivers, autoprobe, stable MACs): the whole state through re-apply.
    lines.push(
      await reapplied(core, address, who).catch((err: unknown) => {
        notApplied++;
        return `${address}: not re-applied: ${toProblem(err).detail ?? String(err)}`;
      }),
    );
  }
  if (lines.length === 0) lines.push(`no desired VF counts in ${options.stateDir} yet: nothing to do`);
  return { lines, notApplied };
}

/** A PF's whole desired state put back through the re-apply operation (operations/reapply.ts): what it did, in one line. */
async function reapplied(core: AgentCore, address: string, who: AuditWho): Promise<string> {
  const result = await core.operations.reapply(address, who, null, AT_BOOT);
  if (!result.changed) return `${address}: ${result.pf.numVfs} VFs, as desired already`;
  return `${address}: ${result.pf.numVfs} VFs, desired state re-applied (${result.steps.length} step${result.steps.length === 1 ? '' : 's'})`;
}

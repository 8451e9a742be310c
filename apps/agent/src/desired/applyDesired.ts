import { comparePciAddresses } from '@vfmap/model';
import type { Hypervisor } from '@vfmap/hypervisors';
import { createAgentCore } from '../agentCore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import type { Logger } from '../logger';
import type { Scanner } from '../scanner';
import { toProblem } from '../server/problems';

export interface ApplyDesiredOptions {
  root: string;
  stateDir: string;
  hypervisor: Hypervisor;
  scanner: Scanner;
  writer: Pick<PrivilegedSteps, 'setNumVfs' | 'writePersistence'>;
  logger: Logger;
  /** Destroy VFs that VMs hold when a PF has another non-zero count (not so at boot, when VFs start at 0). */
  force: boolean;
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
 * slot), is skipped and reported.
 */
export async function applyDesired(options: ApplyDesiredOptions): Promise<ApplyDesiredReport> {
  const core = await createAgentCore({ ...options });
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
    try {
      const result = await core.operations.setNumVfs(address, { count: want.count, force: options.force }, who);
      lines.push(result.changed ? `${address}: ${result.count} VFs (was ${result.previousCount})` : `${address}: ${result.count} VFs already`);
    } catch (err) {
      lines.push(`${address}: not applied: ${toProblem(err).detail ?? String(err)}`);
      notApplied++;
    }
  }
  if (lines.length === 0) lines.push(`no desired VF counts in ${options.stateDir} yet: nothing to do`);
  return { lines, notApplied };
}

import { readLinkFiles } from './linkFiles';
import { planLinkPersistence, type DesiredSriov, type PersistencePlan } from './linkPlan';
import { readNetDevFacts } from './netDevFacts';
import { scanOwners, type OwnerFinding } from './scanOwners';

export interface PersistenceInput {
  /** The host's `/` (a test's tree). */
  root: string;
  /** The PF's PCI address. */
  address: string;
  desired: DesiredSriov;
  /** `readSystemdVersion()`, read once per agent. */
  systemdVersion: number | null;
  /** Whether the PF's driver is in the initramfs; null when not checked. */
  driverInInitramfs?: boolean | null;
  /** `permaddr` from `ip -j link`, when the PF's MAC was changed. */
  permanentMac?: string | null;
}

export interface PersistenceAdvice {
  plan: PersistencePlan;
  /** Everything else on the host that sets this PF's VFs (competes `yes`), or may (`maybe`). */
  owners: OwnerFinding[];
}

/**
 * How a PF's VFs would be kept across reboots, and what else on the host sets them: the one call
 * the agent's API makes. It reads only; writing the plan's file is the root helper's step.
 */
export async function planPersistence(input: PersistenceInput): Promise<PersistenceAdvice> {
  const netdev = await readNetDevFacts(input.root, input.address, input.permanentMac ?? null);
  const plan = planLinkPersistence({
    pf: { address: input.address, netdev },
    desired: input.desired,
    linkFiles: await readLinkFiles(input.root),
    systemdVersion: input.systemdVersion,
    driverInInitramfs: input.driverInInitramfs ?? null,
  });
  const owners = (await scanOwners(input.root, [{ address: input.address, netdev, driver: netdev?.driver ?? null }])).filter((o) => o.competes !== 'no');
  return { plan, owners };
}

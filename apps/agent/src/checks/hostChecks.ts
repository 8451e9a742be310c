import type { Check, HostChecks, HostPersistence, Topology } from '@vfmap/model';
import { checkPaths } from './checkPaths';
import type { CheckRun } from './checkInput';
import { hostDriverVfsCheck } from './hostDriverVfsCheck';
import { hostFiles } from './hostFiles';
import { iommuCheck } from './iommuCheck';
import { managementPathCheck } from './managementPathCheck';
import { notKeptCheck } from './notKeptCheck';
import { pfLinkCheck } from './pfLinkCheck';
import { sharedGroupsCheck } from './sharedGroupsCheck';
import { sriovCandidates, sriovSwitchedOffCheck } from './sriovSwitchedOffCheck';
import type { KnownCapabilities } from './readSriovCapability';
import { totalVfsCheck } from './totalVfsCheck';
import { vfioCheck } from './vfioCheck';

/** The PCI functions whose SR-IOV capability the checks read: every PF, and the devices that may have SR-IOV switched off. */
export const capabilityTargets = (topology: Topology): string[] => [...new Set([...topology.pfs.map((pf) => pf.address), ...sriovCandidates(topology)])];

/** Every check, in the order a reader goes through them: the host first, then each PF. */
export const CHECKS: readonly CheckRun[] = [
  iommuCheck,
  vfioCheck,
  sriovSwitchedOffCheck,
  sharedGroupsCheck,
  managementPathCheck,
  hostDriverVfsCheck,
  pfLinkCheck,
  totalVfsCheck,
];

/**
 * What stops SR-IOV on a host: the checks over its root (`/`, or a simulated or captured tree),
 * on the topology the agent scanned already. Reads a few files per PF and one config space per
 * device without SR-IOV files: within the scan budget. With the host's persistence view, also
 * what nothing keeps across a reboot. `capabilities`: the config spaces the root helper read
 * (capabilityTargets), where this process may read only their first 64 bytes.
 */
export function readHostChecks(root: string, host: string, topology: Topology, persistence: HostPersistence | null = null, capabilities: KnownCapabilities | null = null): HostChecks {
  const input = { files: hostFiles(checkPaths(root)), topology, capabilities };
  const checks: Check[] = [...CHECKS.flatMap((run) => run(input)), ...(persistence ? notKeptCheck(input.files, topology, persistence) : [])];
  const hostFirst = [...checks.filter((c) => c.scope === 'host'), ...checks.filter((c) => c.scope === 'pf').sort((a, b) => (a.target ?? '').localeCompare(b.target ?? ''))];
  return { host, checks: hostFirst };
}

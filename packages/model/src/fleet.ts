import { z } from 'zod';
import { Holder, HypervisorKind } from './topology';
import { PciAddress } from './pciAddressSchema';

/**
 * The fleet: every host an agent (or a hub) serves, its own and its peers'. What GET /api/v1/hosts
 * says of each, and what GET /api/v1/fleet/vfs finds across them.
 */

export const HostStatus = z
  .enum(['ok', 'stale', 'unreachable', 'unauthorized'])
  .describe(
    'ok: answered (or is this agent); stale: the last answer is older than the refresh interval because the host did not answer since; unreachable: never answered, or down with no answer kept; unauthorized: answered, but refused this agent (certificate or credential)',
  );
export type HostStatus = z.infer<typeof HostStatus>;

export const HostCounts = z.object({
  pfs: z.number().int().nonnegative(),
  vfs: z.number().int().nonnegative(),
  freeVfs: z.number().int().nonnegative().describe('VFs free to give to a VM (no holder, an IOMMU group of their own)'),
  heldVfs: z.number().int().nonnegative().describe('VFs a VM configuration names'),
  vms: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
});
export type HostCounts = z.infer<typeof HostCounts>;

/** VFs of one NIC model on one NUMA node of a host: what a fleet tile lists. */
export const HostCapacity = z.object({
  vendorId: z.string(),
  deviceId: z.string(),
  vendorName: z.string().nullable(),
  deviceName: z.string().nullable(),
  numaNode: z.number().int().nullable(),
  speedMbps: z.number().int().nullable().describe("the fastest link among these PFs' interfaces; null when no link is up"),
  pfs: z.number().int().nonnegative(),
  vfs: z.number().int().nonnegative(),
  freeVfs: z.number().int().nonnegative(),
  heldVfs: z.number().int().nonnegative(),
});
export type HostCapacity = z.infer<typeof HostCapacity>;

export const HostSummary = z.object({
  id: z.string(),
  hostname: z.string(),
  hypervisor: HypervisorKind.nullable().describe('null for a peer that never answered and whose source does not say'),
  url: z.string().describe('the topology resource of this host'),
  readOnly: z
    .boolean()
    .optional()
    .describe('the agent refuses every write (--read-only), so a page can disable its controls up front'),
  local: z.boolean().describe('this server is the agent of this host (false: a peer it forwards to)'),
  status: HostStatus,
  lastSeen: z.string().datetime({ offset: true }).nullable().describe('when the host last answered; null if it never did'),
  ageSeconds: z.number().nonnegative().nullable().describe('how old the counts are: seconds since lastSeen'),
  version: z.string().nullable().describe("the host's agent version"),
  counts: HostCounts.nullable().describe('null until the host first answered'),
  capacity: z.array(HostCapacity).describe('VFs by NIC model and NUMA node'),
  problem: z.string().nullable().describe('why the host is not ok: what the last attempt to reach it said'),
  source: z.string().describe('how this server knows the host: "local", "proxmox", "file:<path>", "peer"'),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostList = z.object({ hosts: z.array(HostSummary) });
export type HostList = z.infer<typeof HostList>;

export const FleetVfState = z.enum(['free', 'assigned', 'unavailable']);

/** One VF of the fleet, as GET /api/v1/fleet/vfs finds it. */
export const FleetVf = z.object({
  host: z.string().describe('the host id'),
  hostname: z.string(),
  hostStatus: HostStatus.describe('stale: found in the last topology this server kept of a host that does not answer now'),
  pf: PciAddress,
  vf: PciAddress,
  index: z.number().int().nonnegative(),
  state: FleetVfState,
  vendorId: z.string(),
  deviceId: z.string().describe("the PF's device id (the NIC model)"),
  vendorName: z.string().nullable(),
  deviceName: z.string().nullable().describe("the PF's model name from pci.ids"),
  numaNode: z.number().int().nullable(),
  speedMbps: z.number().int().nullable().describe("the PF's link speed; null when down or unknown"),
  pfNetdev: z.string().nullable().describe("the PF's interface name"),
  driver: z.string().nullable(),
  holder: Holder.nullable(),
});
export type FleetVf = z.infer<typeof FleetVf>;

export const FleetVfList = z.object({
  vfs: z.array(FleetVf),
  total: z.number().int().nonnegative().describe('how many VFs matched; vfs holds the first `limit`'),
  hosts: z
    .array(z.object({ id: z.string(), status: HostStatus, searched: z.boolean().describe('false: no topology of this host is known yet') }))
    .describe('every host of the fleet and whether its VFs were searched'),
});
export type FleetVfList = z.infer<typeof FleetVfList>;

import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { MacAddress, VfLinkState, VlanProtocol } from './vfConfig';

/**
 * What vfmap keeps per PF so the host comes back the same after a reboot (issue 14): the count,
 * each VF's settings and driver, drivers_autoprobe and the stable-MAC switch. It is written before
 * the live change, so a crash between the two shows as "desired differs from live".
 */

/** A VF's settings as kept: only those the operator set (a key left out is not managed by vfmap). */
export const DesiredVfSettings = z.strictObject({
  mac: MacAddress.optional(),
  vlan: z.number().int().min(0).max(4095).optional(),
  qos: z.number().int().min(0).max(7).optional(),
  vlanProtocol: VlanProtocol.optional(),
  spoofChk: z.boolean().optional(),
  trust: z.boolean().optional(),
  linkState: VfLinkState.optional(),
  maxTxRateMbps: z.number().int().min(0).optional(),
  minTxRateMbps: z.number().int().min(0).optional(),
});
export type DesiredVfSettings = z.infer<typeof DesiredVfSettings>;

export const DesiredVf = z.strictObject({
  index: z.number().int().nonnegative(),
  settings: DesiredVfSettings,
  driver: z.literal('vfio-pci').nullable().describe('vfio-pci: bound through driver_override; null: the host driver'),
});
export type DesiredVf = z.infer<typeof DesiredVf>;

export const DesiredPfState = z.object({
  count: z.number().int().nonnegative(),
  vendorId: z.string(),
  deviceId: z.string(),
  setAt: z.string().datetime({ offset: true }),
  stableMacs: z.boolean().default(false),
  driversAutoprobe: z.boolean().nullable().default(null).describe('null: vfmap does not manage it'),
  vfs: z.array(DesiredVf).default([]).describe('only VFs with something kept, by index'),
});
export type DesiredPfState = z.infer<typeof DesiredPfState>;

/** How a PF's desired state is put back at boot. */
export const PersistenceMechanism = z.enum(['link-drop-in', 'link-file', 'apply-desired', 'none']);
export type PersistenceMechanism = z.infer<typeof PersistenceMechanism>;

export const PersistenceDifference = z.object({
  what: z.string().describe('"count", "VF 2 vlan", "VF 0 driver", "autoprobe"…'),
  desired: z.string(),
  live: z.string(),
});
export type PersistenceDifference = z.infer<typeof PersistenceDifference>;

export const PersistenceOwner = z.object({
  kind: z.string().describe('sysfs-conf, udev-rule, systemd-unit, rc-local, modprobe-max-vfs, networkmanager, networkd-network, ifupdown, sriov-operator'),
  path: z.string(),
  line: z.number().int().nullable(),
  text: z.string(),
  sets: z.enum(['count', 'vf-settings', 'count-and-vf-settings']),
  competes: z.enum(['yes', 'maybe']),
  note: z.string(),
});
export type PersistenceOwner = z.infer<typeof PersistenceOwner>;

export const PfPersistence = z.object({
  pf: PciAddress,
  interface: z.string().nullable(),
  desired: DesiredPfState.nullable().describe('null: vfmap keeps nothing for this PF'),
  matches: z.boolean().nullable().describe('live equals desired; null when nothing is desired'),
  differences: z.array(PersistenceDifference),
  keptBy: z.object({
    mechanism: PersistenceMechanism,
    path: z.string().nullable().describe('the file that keeps it at boot'),
    written: z.boolean().describe('that file holds what is desired now'),
    initramfs: z.boolean().describe('run update-initramfs -u after writing it (the PF\'s driver loads from the initramfs)'),
    notKept: z.array(z.string()).describe('desired settings this mechanism cannot keep'),
    note: z.string(),
  }),
  lostAtReboot: z.boolean().describe('something live or desired is kept by nothing at boot'),
  owners: z.array(PersistenceOwner).describe('other things on the host that set this PF\'s VFs'),
  warnings: z.array(z.string()),
});
export type PfPersistence = z.infer<typeof PfPersistence>;

/** Answer of GET /api/v1/hosts/:host/persistence. */
export const HostPersistence = z.object({
  host: z.string(),
  pfs: z.array(PfPersistence),
});
export type HostPersistence = z.infer<typeof HostPersistence>;

/** What writing a PF's persistence did (the root helper's writePersistence step). */
export const PersistWriteOutcome = z.strictObject({
  mechanism: PersistenceMechanism,
  path: z.string().nullable().describe('the file that keeps the PF\'s desired state at boot; null when none does'),
  written: z.boolean().describe('the file was written now (false: it already held exactly this, or nothing is written for this mechanism)'),
  removed: z.array(z.string()).describe('vfmap\'s own files removed: they no longer apply, or nothing is desired'),
  initramfs: z.boolean().describe('run update-initramfs -u now: the initramfs keeps its own copy of the .link files'),
  notKept: z.array(z.string()),
  why: z.string(),
});
export type PersistWriteOutcome = z.infer<typeof PersistWriteOutcome>;

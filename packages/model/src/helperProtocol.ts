import { z } from 'zod';
import { DesiredPfState, PersistWriteOutcome } from './persistence';
import { RunningFacts } from './runningQemu';
import { SriovCapability } from './sriovCapability';
import { VmState } from './topology';
import { VfConfigChange } from './vfConfig';
import { VfSettingName } from './vfWrites';

/**
 * The protocol between the agent's HTTP side (an unprivileged user) and its root helper: one
 * JSON object per line over a Unix socket, one typed message per privileged step. A message names
 * what to act on (a PCI address, a count, a VM id), never a path: the helper builds every path
 * itself, from values it has checked again (apps/agent/src/helper/helperChecks.ts).
 *
 * Besides the steps, the reads that only root may make: `listVms` (Proxmox's `qm list` refuses
 * any other user), `runningHolders` (another user's `/proc/<pid>/fd` needs root) and
 * `sriovCapabilities` (the config space past its first 64 bytes needs root). Issue 14's steps (driver_override, bind/unbind, `ip link set … vf …`, .link
 * files) become more members of HelperRequest; the helper refuses any `op` it does not know.
 */

/**
 * The largest message the helper accepts, newline included; a longer one is refused and the
 * connection closed. writePersistence carries a PF's desired state: about 110 bytes a VF with a
 * MAC, a VLAN and a driver, so 64 KiB holds the 256 VFs of the largest PFs twice over.
 */
export const HELPER_MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * The largest reply the HTTP side accepts, newline included; past it, it drops the connection
 * (and, split, stops). Larger than a message because a `listVms` reply grows with the VMs: at most
 * 22 bytes a VM (`"999999999":"unknown",`), so 2 MiB holds 95,000 VMs — more than `qm list` can
 * name within the 4 MiB of its output the command runner keeps (78 bytes a line at least: 53,000
 * VMs). The helper never sends a longer reply: it sends a failure that says so instead.
 */
export const HELPER_MAX_REPLY_BYTES = 2 * 1024 * 1024;

/**
 * What the helper accepts as a PCI function address: exactly `dddd:bb:dd.f`, lower-case hex,
 * no other length (the model's PciAddress also allows longer domains, which no host here has).
 * Nothing in it can be `/` or `.`-only, so it is one path component.
 */
export const HELPER_PCI_ADDRESS_RE = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

const Id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const HelperPciAddress = z.string().max(12).regex(HELPER_PCI_ADDRESS_RE, 'a PCI address is dddd:bb:dd.f in lower-case hex');
/** A VM id's shape is checked against the hypervisor's own rules on the root side (helperChecks.ts). */
const VmId = z.string().min(1).max(128);

export const HelperSetNumVfs = z.strictObject({ id: Id, op: z.literal('setNumVfs'), pf: HelperPciAddress, count: z.number().int().min(0).max(65535) });
export const HelperAttach = z.strictObject({ id: Id, op: z.literal('attach'), vmId: VmId, address: HelperPciAddress });
export const HelperDetach = z.strictObject({ id: Id, op: z.literal('detach'), vmId: VmId, address: HelperPciAddress });
/** The VMs' states by the hypervisor's listing that needs root (Proxmox's `qm list`); nothing to name. */
export const HelperListVms = z.strictObject({ id: Id, op: z.literal('listVms') });
/** What running QEMU processes hold (their cmdline and their /dev/vfio fds); nothing to name. */
export const HelperRunningHolders = z.strictObject({ id: Id, op: z.literal('runningHolders') });
/**
 * The most functions one sriovCapabilities message names: a host has a few hundred PCI functions
 * that are not VFs, and 2048 addresses (about 30 KiB) stay well within HELPER_MAX_MESSAGE_BYTES.
 */
export const HELPER_MAX_CAPABILITY_ADDRESSES = 2048;
/** The SR-IOV extended capability of each PCI function named (existing ones only, checked on the root side). */
export const HelperSriovCapabilities = z.strictObject({
  id: Id,
  op: z.literal('sriovCapabilities'),
  addresses: z.array(HelperPciAddress).min(1).max(HELPER_MAX_CAPABILITY_ADDRESSES),
});

/** `ip link set dev <the PF's netdev> vf <vfIndex> …` for each setting of `change`; the helper finds the netdev itself. */
export const HelperSetVfConfig = z.strictObject({ id: Id, op: z.literal('setVfConfig'), pf: HelperPciAddress, vfIndex: z.number().int().min(0).max(65535), change: VfConfigChange });

/** Binds a VF to vfio-pci (driver_override, unbind, drivers_probe), or null: gives it back to its host driver. */
export const HelperSetVfDriver = z.strictObject({ id: Id, op: z.literal('setVfDriver'), vf: HelperPciAddress, driver: z.literal('vfio-pci').nullable() });
/** Writes a PF's sriov_drivers_autoprobe. */
export const HelperSetDriversAutoprobe = z.strictObject({ id: Id, op: z.literal('setDriversAutoprobe'), pf: HelperPciAddress, enabled: z.boolean() });

/**
 * Writes what keeps the PF's desired state at boot (a `.link` file or drop-in), or removes vfmap's
 * files when `desired` is null. No path and no file text: the helper plans them itself from the
 * desired state, which it parses and checks again.
 */
export const HelperWritePersistence = z.strictObject({
  id: Id,
  op: z.literal('writePersistence'),
  pf: HelperPciAddress,
  desired: DesiredPfState.nullable(),
  /** refresh: only where vfmap's file for the PF exists already (a count change keeps it in step). */
  mode: z.enum(['write', 'refresh']).default('write'),
});

export const HELPER_OPS = ['setNumVfs', 'attach', 'detach', 'listVms', 'runningHolders', 'sriovCapabilities', 'setVfConfig', 'setVfDriver', 'setDriversAutoprobe', 'writePersistence'] as const;
export const HelperRequest = z.discriminatedUnion('op', [HelperSetNumVfs, HelperAttach, HelperDetach, HelperListVms, HelperRunningHolders, HelperSriovCapabilities, HelperSetVfConfig, HelperSetVfDriver, HelperSetDriversAutoprobe, HelperWritePersistence]);
export type HelperRequest = z.output<typeof HelperRequest>;
export type HelperOp = HelperRequest['op'];

/** Why the helper refused a message before acting on it. */
export const HelperRefusalReason = z.enum([
  'too-large',
  'not-json',
  'unknown-op',
  'invalid-message',
  'bad-address',
  'no-such-device',
  'count-out-of-range',
  'bad-vm-id',
  'peer-refused',
  'not-a-vf',
  'driver-not-loaded',
]);
export type HelperRefusalReason = z.output<typeof HelperRefusalReason>;

const Stack = { stack: z.string().optional() };

/**
 * A failure as it crosses the socket: the typed errors the privileged steps throw go as data and
 * are rebuilt as themselves on the HTTP side, so the problem an HTTP client gets is the same in
 * either mode — the kernel's errno and path, the hypervisor's code, command, exit status, stderr.
 */
export const HelperFailure = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SysfsError'), code: z.string(), path: z.string(), message: z.string(), ...Stack }),
  z.strictObject({ type: z.literal('NoKernelError'), message: z.string(), ...Stack }),
  z.strictObject({
    type: z.literal('HypervisorError'),
    code: z.enum(['command-failed', 'command-missing', 'timeout', 'unknown-vm', 'already-assigned', 'not-assigned', 'no-free-slot', 'unsupported', 'bad-state', 'invalid-request']),
    command: z.array(z.string()).nullable(),
    exitStatus: z.number().int().nullable(),
    stderr: z.string(),
    message: z.string(),
    ...Stack,
  }),
  z.strictObject({ type: z.literal('HelperRefused'), reason: HelperRefusalReason, message: z.string() }),
  z.strictObject({
    type: z.literal('VfSettingRefused'),
    message: z.string(),
    pf: z.string(),
    interface: z.string(),
    vfIndex: z.number().int().nonnegative(),
    driver: z.string().nullable(),
    setting: VfSettingName,
    command: z.array(z.string()),
    exitStatus: z.number().int().nullable(),
    errno: z.string().nullable(),
    stderr: z.string(),
    applied: z.array(VfSettingName),
    timedOut: z.boolean(),
    ...Stack,
  }),
  z.strictObject({
    type: z.literal('VfDriverStepFailed'),
    vf: z.string(),
    driver: z.literal('vfio-pci').nullable(),
    failed: z.string(),
    errno: z.string().nullable(),
    path: z.string().nullable(),
    undoFailed: z.string().nullable(),
    driverNow: z.string().nullable(),
    driverOverrideNow: z.string().nullable(),
    message: z.string(),
  }),
  z.strictObject({ type: z.literal('Error'), name: z.string(), message: z.string(), ...Stack }),
]);
export type HelperFailure = z.output<typeof HelperFailure>;

export const HelperAttachResult = z.strictObject({ effect: z.enum(['live', 'next-start']), via: z.string() });
/** listVms's answer: each VM's state by its id (Proxmox's are numbers; digits only, so never `__proto__`). */
export const HelperVmStates = z.strictObject({ states: z.record(z.string().regex(/^[0-9]+$/), VmState) });
/** setVfConfig's answer: the settings applied, in order. */
export const HelperVfConfigResult = z.strictObject({ applied: z.array(VfSettingName) });
/** runningHolders's answer: facts only — per QEMU process its VM, the vfio groups and devices it holds, its cmdline hosts. */
export const HelperRunningFacts = z.strictObject({ running: RunningFacts });
/** sriovCapabilities's answer: per address asked, in the order asked, what its config space says. */
export const HelperSriovCapabilitiesResult = z.strictObject({ capabilities: z.array(z.strictObject({ address: HelperPciAddress, capability: SriovCapability })) });
export const HelperResult = z.union([HelperAttachResult, HelperVmStates, HelperVfConfigResult, HelperRunningFacts, HelperSriovCapabilitiesResult, PersistWriteOutcome]);
export type HelperResult = z.output<typeof HelperResult>;

/** `id` 0 answers a message whose id could not be read (not JSON, too large, no id). */
export const HelperReply = z.union([
  z.strictObject({ id: z.number().int().min(0), ok: z.literal(true), result: HelperResult.nullable() }),
  z.strictObject({ id: z.number().int().min(0), ok: z.literal(false), error: HelperFailure }),
]);
export type HelperReply = z.output<typeof HelperReply>;

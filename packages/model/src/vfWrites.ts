import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { Pf, Vf } from './topology';
import { VfConfigChange } from './vfConfig';

/**
 * The writes of issue 14 beyond the VF count: a VF's settings (netlink, through the PF's driver),
 * a VF's driver (vfio-pci or its host driver), a PF's drivers_autoprobe, stable MACs, and
 * "prepare VFs for VMs" — each one operation through the agent's operations module.
 */

/**
 * One setting as `ip link set dev <pf> vf N …` applies it: a VLAN goes with its qos and protocol,
 * the others one keyword each. The order here is the order they are applied in.
 */
export const VfSettingName = z.enum(['mac', 'vlan', 'spoofChk', 'trust', 'linkState', 'maxTxRateMbps', 'minTxRateMbps']);
export type VfSettingName = z.infer<typeof VfSettingName>;

/** The settings of a change in the order they are applied (one `ip link set` call each). */
export function vfSettingsOf(change: VfConfigChange): VfSettingName[] {
  return VfSettingName.options.filter((name) => change[name] !== undefined);
}

/** Answer of PUT /api/v1/hosts/:host/vfs/:vf/config. */
export const VfConfigResult = z.object({
  operationId: z.string(),
  vf: Vf.describe('the VF re-read after the change, with its config as the driver reports it now'),
  applied: z.array(VfSettingName).describe('the settings applied, in order'),
  message: z.string(),
});
export type VfConfigResult = z.infer<typeof VfConfigResult>;

/** The drivers a VF can be given through the API: vfio-pci for a VM; null gives it back to its host driver. */
export const VfDriverRequest = z.strictObject({
  driver: z
    .literal('vfio-pci')
    .nullable()
    .describe('"vfio-pci": bind the VF to vfio-pci through driver_override (ready for a VM); null: clear the override and let the host driver take it back'),
});
export type VfDriverRequest = z.infer<typeof VfDriverRequest>;

/** Answer of PUT /api/v1/hosts/:host/vfs/:vf/driver. */
export const VfDriverResult = z.object({
  operationId: z.string(),
  vf: Vf.describe('the VF re-read after the change'),
  previousDriver: z.string().nullable(),
  driver: z.string().nullable().describe('the driver bound now, as sysfs reads it'),
  changed: z.boolean(),
  message: z.string(),
});
export type VfDriverResult = z.infer<typeof VfDriverResult>;

/** Body of PUT /api/v1/hosts/:host/pfs/:pf/autoprobe. */
export const AutoprobeRequest = z.strictObject({
  enabled: z.boolean().describe('sriov_drivers_autoprobe: false keeps VFs created from now on off host drivers (no host interface per VF)'),
});
export type AutoprobeRequest = z.infer<typeof AutoprobeRequest>;

/** Body of PUT /api/v1/hosts/:host/pfs/:pf/stable-macs. */
export const StableMacsRequest = z.strictObject({
  enabled: z
    .boolean()
    .describe('give every VF of the PF a locally administered MAC derived from the host id, the PF\'s permanent MAC and the VF index, now and whenever VFs are created'),
});
export type StableMacsRequest = z.infer<typeof StableMacsRequest>;

/** Answer of the PF-wide writes (autoprobe, stable MACs, re-apply, prepare). */
export const PfWriteResult = z.object({
  operationId: z.string(),
  pf: Pf.describe('the PF re-read after the change'),
  changed: z.boolean(),
  steps: z.array(z.string()).describe('what was done, in order, in words'),
  message: z.string(),
});
export type PfWriteResult = z.infer<typeof PfWriteResult>;

/** Body of POST /api/v1/hosts/:host/pfs/:pf/prepare: VFs made ready for VMs in one operation. */
export const PrepareRequest = z.strictObject({
  count: z.number().int().min(1).describe('VFs wanted on the PF'),
  driver: z.literal('vfio-pci').nullable().describe('bind every VF to vfio-pci; null leaves them on the host driver'),
  stableMacs: z.boolean().describe('give every VF its stable MAC'),
  vlans: z
    .array(z.number().int().min(0).max(4095).nullable())
    .optional()
    .describe('port VLAN per VF index (null or left out: none set)'),
  dryRun: z.boolean().optional().describe('answer the plan only; nothing is written'),
  force: z.boolean().optional().describe('as for a count change: destroy VFs that VMs hold'),
});
export type PrepareRequest = z.infer<typeof PrepareRequest>;

/** One step of a prepare plan, in the order it is done. */
export const PrepareStep = z.object({
  kind: z.enum(['desired', 'autoprobe', 'numvfs', 'vf-config', 'vf-driver', 'persist']),
  target: PciAddress,
  description: z.string().describe('what is written, and where, in words'),
  affects: z.string().nullable().describe('what it destroys or changes for whom; null: nothing beyond the target'),
});
export type PrepareStep = z.infer<typeof PrepareStep>;

export const PreparePlan = z.object({
  pf: PciAddress,
  steps: z.array(PrepareStep),
  macs: z.array(z.string()).describe('the MAC each VF index gets (empty when stableMacs is false)'),
  warnings: z.array(z.string()),
});
export type PreparePlan = z.infer<typeof PreparePlan>;

export const PrepareResult = PfWriteResult.extend({ plan: PreparePlan });
export type PrepareResult = z.infer<typeof PrepareResult>;

/** operation.progress: a multi-step operation (prepare, re-apply) finished one step. */
export const OperationProgress = z.object({
  step: z.number().int().min(1),
  of: z.number().int().min(1),
  description: z.string(),
});
export type OperationProgress = z.infer<typeof OperationProgress>;

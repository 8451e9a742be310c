import { z } from 'zod';
import { PciAddress } from './pciAddressSchema';
import { problemVariant, ProblemType } from './problemBase';
import { Vf } from './topology';
import { VfSettingName } from './vfWrites';

/**
 * A VF setting that `ip link set dev <pf> vf N …` could not apply: the PF's driver refused it (igb
 * answers EOPNOTSUPP for `state`, EINVAL for `min_tx_rate`, EPROTONOSUPPORT for 802.1ad), or `ip`
 * failed. The settings of the same request applied before it stay applied and are listed, in order,
 * so the client knows exactly what state the VF was left in.
 */
export const VfSettingRefusedProblem = problemVariant(ProblemType.kernel, [409, 422, 500, 504], {
  reason: z.literal('vf-setting-refused'),
  pf: PciAddress,
  interface: z.string().describe("the PF's netdev the setting was applied through"),
  vfIndex: z.number().int().nonnegative(),
  vf: PciAddress.optional().describe("the VF's address (left out when the step did not know it)"),
  driver: z.string().nullable().describe("the PF's driver, which refused"),
  setting: VfSettingName.describe('the setting that was refused'),
  command: z.array(z.string()).describe('the command run, as its argument array'),
  exitStatus: z.number().int().nullable().describe("`ip`'s exit status; null when it did not run or was killed"),
  errno: z.string().nullable().describe('the errno name `ip` reported (RTNETLINK answers: …): EOPNOTSUPP, EINVAL, EPROTONOSUPPORT…; null when it said none'),
  stderr: z.string().describe('what `ip` wrote to stderr'),
  applied: z.array(VfSettingName).describe('the settings of this request applied before the refused one, in order: they stay applied'),
  vfNow: Vf.optional().describe('the VF as re-read after the refusal, with its config as the driver reports it now'),
}).describe(
  "a VF setting the PF's driver refused (422: this driver cannot set it; 409: the host's state), or `ip` failed (500, 504 when it did not finish in time); the settings applied before it are listed in `applied` and stay applied",
);

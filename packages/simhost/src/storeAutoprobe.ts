import { RW } from './entries';
import { parseKernelBool } from './parseKernelBool';
import { fail, type DeviceStoreContext } from './storeContext';
import { join } from 'node:path';

/** sriov_drivers_autoprobe_store(): kstrtobool or EINVAL (probe.txt: "maybe" → EINVAL). */
export function storeAutoprobe(ctx: DeviceStoreContext): void {
  const value = parseKernelBool(ctx.value);
  if (value === null) fail(ctx, 'EINVAL');
  ctx.tree.writeAttr(join(ctx.dev.dir, 'sriov_drivers_autoprobe'), value ? '1\n' : '0\n', RW);
}

import { join } from 'node:path';
import { RW } from './entries';
import { fail, type DeviceStoreContext } from './storeContext';

const PAGE_SIZE = 4096;

/**
 * driver_override_store() → driver_set_override() (drivers/base/driver.c, 6.1): at most
 * PAGE_SIZE - 2 bytes; the value ends at the first NUL or newline; an empty value or a lone
 * "\n" clears it, and the attribute reads "(null)" again (probe.txt: "PF2 driver_override cleared").
 * Setting it binds nothing by itself: drivers_probe or bind does.
 */
export function storeDriverOverride(ctx: DeviceStoreContext): void {
  if (Buffer.byteLength(ctx.value) >= PAGE_SIZE - 1) fail(ctx, 'EINVAL');
  let s = ctx.value;
  const nul = s.indexOf('\0');
  if (nul !== -1) s = s.slice(0, nul);
  const newline = s.indexOf('\n');
  if (newline !== -1) s = s.slice(0, newline);
  ctx.tree.writeAttr(join(ctx.dev.dir, 'driver_override'), s === '' ? '(null)\n' : `${s}\n`, RW);
}

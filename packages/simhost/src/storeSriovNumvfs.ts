import { vfBusOf } from '@vfmap/model';
import { driverCatalog } from './driverCatalog';
import { boundDriver } from './driverBinding';
import { parseKernelU16 } from './parseKernelU16';
import { fail, type DeviceStoreContext } from './storeContext';
import { clearNumvfsIntent, writeNumvfsIntent } from './numvfsIntent';
import { disableVfs, enableVfs, readPf } from './virtfns';
import { hasVfTraces, removeVfTraces, vfAddresses } from './vfTraces';

/**
 * sriov_numvfs_store() of drivers/pci/iov.c (Linux 6.1), step by step, with what the real kernel
 * answered in fixtures/realkernel/probe.txt:
 *
 * | step                                             | errno  | probe.txt case                                  |
 * | kstrtou16(buf, 0) fails                          | EINVAL | "garbage", "-1", " 2", "2 ", "2.0", "65536"...  |
 * | n > sriov_totalvfs                               | ERANGE | "more than totalvfs" (9 of 8)                   |
 * | n == current count                               | OK     | "same value again (no-op)"                      |
 * | no driver bound to the PF                        | ENOENT | "enable with no PF driver", "disable with ..."  |
 * | the driver has no sriov_configure                | ENOENT | (same message path in iov.c)                    |
 * | n == 0                                           | OK     | "disable" — sriov_configure(pdev, 0)            |
 * | VFs already enabled                              | EBUSY  | "different non-zero value"                      |
 * | sriov_enable(): last VF's bus past the bus range | ENOMEM | ("can't enable N VFs (bus .. out of range ..)")  |
 * | otherwise                                        | OK     | "enable" — sriov_configure(pdev, n)             |
 */
export function storeSriovNumvfs(ctx: DeviceStoreContext): void {
  const { tree, dev } = ctx;
  const parsed = parseKernelU16(ctx.value);
  if (!parsed.ok) fail(ctx, 'EINVAL');
  const wanted = parsed.value;
  const total = Number(tree.readAttr(dev, 'sriov_totalvfs'));
  if (wanted > total) fail(ctx, 'ERANGE');
  const current = Number(tree.readAttr(dev, 'sriov_numvfs'));
  if (wanted === current) return;

  const driverName = boundDriver(tree, dev);
  if (driverName === null) fail(ctx, 'ENOENT');
  if (!driverCatalog.get(driverName)?.sriovConfigure) fail(ctx, 'ENOENT');

  if (wanted === 0) {
    writeNumvfsIntent(tree.paths, { pf: dev.address, from: current, to: 0 });
    disableVfs(tree, dev, ctx.timing);
    done(ctx);
    return;
  }
  if (current !== 0) fail(ctx, 'EBUSY');
  const pf = readPf(tree, dev);
  if (!pf) throw new Error(`simulated kernel has no notes on PF ${dev.address} (kernel.json); it cannot make its VFs`);
  // sriov_enable(): pci_iov_virtfn_bus() of the last VF, not cut to 8 bits, must not pass the end
  // of the PF's bus range; a VF past bus ff always does. The driver's sriov_configure passes -ENOMEM on.
  if (vfBusOf(dev.address, pf.offset, pf.stride, wanted - 1) > pf.lastBus) fail(ctx, 'ENOMEM');
  writeNumvfsIntent(tree.paths, { pf: dev.address, from: 0, to: wanted });
  // A tree left by a writer that died before intents were kept (sriov_numvfs 0 and virtfn links)
  // would make the links below fail with EEXIST: clear what is left first.
  const addresses = vfAddresses(pf, wanted);
  if (hasVfTraces(tree, pf, addresses)) removeVfTraces(tree, pf, addresses);
  enableVfs(tree, pf, wanted, ctx.timing);
  done(ctx);
}

/** sriov_numvfs reads the new count: the notes are saved, and the change is no longer under way. */
function done(ctx: DeviceStoreContext): void {
  ctx.tree.save();
  clearNumvfsIntent(ctx.tree.paths);
}

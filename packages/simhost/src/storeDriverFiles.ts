import { driverCatalog } from './driverCatalog';
import { attachDriver, boundDriver, canProbe, deviceAttach, detachDriver, driverMatches } from './driverBinding';
import { fail, type StoreContext } from './storeContext';
import { disableVfs, listVfs } from './virtfns';

/** bus_find_device_by_name() with sysfs_streq(): the written name, one trailing newline allowed. */
const deviceNamed = (ctx: StoreContext) => {
  const name = ctx.value.replace(/\n$/, '');
  return name === '' || name.includes('/') ? null : ctx.tree.device(name);
};

/**
 * drivers_probe_store() (drivers/base/bus.c): an unknown device is ENODEV; otherwise the kernel
 * tries to attach a driver and the write succeeds whether one bound or not (probe.txt:
 * "drivers_probe VF" bound the VF to its driver_override, vfio-pci).
 */
export function storeDriversProbe(ctx: StoreContext): void {
  const dev = deviceNamed(ctx);
  if (!dev) fail(ctx, 'ENODEV');
  deviceAttach(ctx.tree, dev);
}

/**
 * bind_store(): ENODEV unless the device exists and the driver matches it; EBUSY when it is
 * bound already; ENODEV when pci_device_can_probe() refuses (a VF while its PF's autoprobe is 0
 * and no driver_override): probe.txt "bind 2nd VF via drivers/nvme/bind" and "bind an already bound VF".
 */
export function storeBind(ctx: StoreContext, driverName: string): void {
  const dev = deviceNamed(ctx);
  const driver = driverCatalog.get(driverName);
  if (!dev || !driver || !driverMatches(ctx.tree, dev, driver)) fail(ctx, 'ENODEV');
  if (boundDriver(ctx.tree, dev) !== null) fail(ctx, 'EBUSY');
  if (!canProbe(ctx.tree, dev)) fail(ctx, 'ENODEV');
  attachDriver(ctx.tree, dev, driverName);
}

/**
 * unbind_store(): ENODEV unless the device is bound to this driver. A PF driver whose remove()
 * disables SR-IOV takes the VFs with it (igb: "VFs gone, sriov_numvfs 0"); nvme and pci-pf-stub
 * leave them ("driver left SR-IOV enabled after remove").
 */
export function storeUnbind(ctx: StoreContext, driverName: string): void {
  const dev = deviceNamed(ctx);
  if (!dev || boundDriver(ctx.tree, dev) !== driverName) fail(ctx, 'ENODEV');
  if (driverCatalog.get(driverName)?.removeDisablesSriov && listVfs(dev).length > 0) {
    disableVfs(ctx.tree, dev, ctx.timing);
  }
  detachDriver(ctx.tree, dev);
}

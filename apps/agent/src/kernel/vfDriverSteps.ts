import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SysfsError, type SysfsPaths } from '@vfmap/sysfs';
import { VfDriverStepFailed, type VfBinding } from '../operations/vfDriverErrors';
import type { KernelWriter } from './kernelWriter';

/**
 * A VF's driver through sysfs, libvirt's deterministic way (ARCHITECTURE §VF settings): the VF's
 * `driver_override` names the driver, the current driver lets go (`drivers/<name>/unbind`), and
 * `drivers_probe` makes the kernel probe it again, which honours the override whatever the PF's
 * sriov_drivers_autoprobe says (kernel ≥ 5.3). Giving it back clears the override (a lone "\n":
 * an empty write never reaches the kernel's store()), unbinds vfio-pci and probes, so the host
 * driver (igbvf, iavf…) takes it — unless the PF's autoprobe is 0, which keeps it off host drivers.
 *
 * A step that fails is undone: the override put back and the previous driver bound again, through
 * a temporary override naming it (so that autoprobe 0 cannot stop it). If the undo fails as well
 * the error says what it left. Works the same on the real and the simulated kernel.
 */

const VFIO_PCI = 'vfio-pci';

/** The VF's driver and driver_override as sysfs reads them now. */
export function readVfBinding(paths: SysfsPaths, vf: string): VfBinding {
  let driver: string | null = null;
  try {
    driver = basename(readlinkSync(paths.pciDeviceFile(vf, 'driver')));
  } catch {
    // no driver link: unbound
  }
  let driverOverride: string | null = null;
  try {
    const text = readFileSync(paths.pciDeviceFile(vf, 'driver_override'), 'utf8').trim();
    driverOverride = text === '' || text === '(null)' ? null : text;
  } catch {
    // no driver_override (very old kernels): nothing overrides
  }
  return { driver, driverOverride };
}

/** The driver is loaded: its directory under sys/bus/pci/drivers exists. */
export function driverLoaded(paths: SysfsPaths, driver: string): boolean {
  return existsSync(paths.pciDriver(driver));
}

interface Step {
  description: string;
  path: string;
  value: string;
}

/** Binds `vf` to vfio-pci, or (null) gives it back to its host driver; no-op when it already is. */
export async function setVfDriverInSysfs(writer: KernelWriter, paths: SysfsPaths, vf: string, driver: 'vfio-pci' | null): Promise<void> {
  const before = readVfBinding(paths, vf);
  if (driver === VFIO_PCI && !driverLoaded(paths, VFIO_PCI)) {
    throw new VfDriverStepFailed(
      `vfio-pci is not loaded (no ${paths.pciDriver(VFIO_PCI)}); nothing was written to ${vf}. Load it with \`modprobe vfio-pci\`.`,
      vf,
      driver,
      'find the vfio-pci driver',
      null,
      null,
      null,
      before,
    );
  }
  const steps = driver === VFIO_PCI ? bindSteps(paths, vf, before) : releaseSteps(paths, vf, before);
  for (const [i, step] of steps.entries()) {
    try {
      await writer.write(step.path, step.value);
    } catch (err) {
      // Nothing written yet and not the kernel's refusal (no kernel, the write worker gone): as it is.
      if (i === 0 && !(err instanceof SysfsError)) throw err;
      const errno = err instanceof SysfsError ? err.code : null;
      const why = errno ? `the kernel answered ${errno}` : `it failed: ${(err as Error).message}`;
      throw await undo(writer, paths, vf, driver, before, i > 0, step.description, errno, step.path, why);
    }
  }
  const after = readVfBinding(paths, vf);
  if (driver === VFIO_PCI && after.driver !== VFIO_PCI) {
    const why = `after the probe it is ${after.driver === null ? 'bound to no driver' : `bound to ${after.driver}`} (dmesg may say why vfio-pci refused it)`;
    throw await undo(writer, paths, vf, driver, before, true, 'bind it to vfio-pci', null, null, why);
  }
  if (driver === null && after.driver === VFIO_PCI) {
    throw await undo(writer, paths, vf, driver, before, true, 'release it from vfio-pci', null, null, 'it is still bound to vfio-pci after the probe');
  }
}

function bindSteps(paths: SysfsPaths, vf: string, before: VfBinding): Step[] {
  const steps: Step[] = [];
  if (before.driverOverride !== VFIO_PCI) steps.push({ description: `write vfio-pci to ${vf}'s driver_override`, path: paths.pciDeviceFile(vf, 'driver_override'), value: VFIO_PCI });
  if (before.driver !== VFIO_PCI) {
    if (before.driver !== null) steps.push(unbindStep(paths, vf, before.driver));
    steps.push(probeStep(paths, vf));
  }
  return steps;
}

function releaseSteps(paths: SysfsPaths, vf: string, before: VfBinding): Step[] {
  const steps: Step[] = [];
  if (before.driverOverride !== null) steps.push({ description: `clear ${vf}'s driver_override`, path: paths.pciDeviceFile(vf, 'driver_override'), value: '\n' });
  if (before.driver === VFIO_PCI) steps.push(unbindStep(paths, vf, VFIO_PCI));
  if (before.driver === null || before.driver === VFIO_PCI) steps.push(probeStep(paths, vf));
  return steps;
}

const unbindStep = (paths: SysfsPaths, vf: string, driver: string): Step => ({ description: `unbind ${vf} from ${driver}`, path: join(paths.pciDriver(driver), 'unbind'), value: vf });
const probeStep = (paths: SysfsPaths, vf: string): Step => ({ description: `probe ${vf} (drivers_probe)`, path: paths.pciDriversProbe, value: vf });

const describeBinding = (b: VfBinding): string => `${b.driver === null ? 'bound to no driver' : `bound to ${b.driver}`}, driver_override ${b.driverOverride ?? '(null)'}`;

/**
 * Puts the VF back as `before` (when `wrote`: something may have changed) and builds the error:
 * the undo's own failure, if any, and the VF as re-read at the end.
 */
async function undo(
  writer: KernelWriter,
  paths: SysfsPaths,
  vf: string,
  driver: 'vfio-pci' | null,
  before: VfBinding,
  wrote: boolean,
  failed: string,
  errno: string | null,
  path: string | null,
  why: string,
): Promise<VfDriverStepFailed> {
  const undoFailed = wrote ? await restore(writer, paths, vf, before) : null;
  const now = readVfBinding(paths, vf);
  const message =
    undoFailed === null
      ? `Could not ${failed}: ${why}. ${wrote ? 'The steps before it were undone: ' : 'Nothing was changed: '}${vf} is ${describeBinding(now)}, as before.`
      : `Could not ${failed}: ${why}; undoing the steps before it failed too (${undoFailed}). ${vf} is left ${describeBinding(now)}; it was ${describeBinding(before)}.`;
  return new VfDriverStepFailed(message, vf, driver, failed, errno, path, undoFailed, now);
}

/** The undo: null when the VF is bound as `before` again, else what failed. */
async function restore(writer: KernelWriter, paths: SysfsPaths, vf: string, before: VfBinding): Promise<string | null> {
  const overridePath = paths.pciDeviceFile(vf, 'driver_override');
  const attempt = async (description: string, path: string, value: string) => {
    try {
      await writer.write(path, value);
    } catch (err) {
      throw new Error(`${description}: ${err instanceof SysfsError ? err.code : (err as Error).message}`);
    }
  };
  try {
    const now = readVfBinding(paths, vf);
    if (now.driver !== before.driver) {
      if (now.driver !== null) await attempt(`unbind ${vf} from ${now.driver}`, join(paths.pciDriver(now.driver), 'unbind'), vf);
      if (before.driver !== null) {
        // The override makes the probe pick exactly that driver, whatever the PF's autoprobe says.
        await attempt(`write ${before.driver} to driver_override`, overridePath, before.driver);
        await attempt(`probe ${vf} for ${before.driver}`, paths.pciDriversProbe, vf);
      }
    }
    if (readVfBinding(paths, vf).driverOverride !== before.driverOverride) {
      await attempt(`put driver_override back to ${before.driverOverride ?? '(null)'}`, overridePath, before.driverOverride ?? '\n');
    }
  } catch (err) {
    return (err as Error).message;
  }
  const back = readVfBinding(paths, vf);
  if (back.driver !== before.driver) return `${before.driver ?? 'no driver'} did not take ${vf} back`;
  if (back.driverOverride !== before.driverOverride) return `driver_override reads ${back.driverOverride ?? '(null)'}`;
  return null;
}

/** Writes a PF's sriov_drivers_autoprobe: "1" lets host drivers probe the VFs created from now on, "0" keeps them off. */
export function setDriversAutoprobeInSysfs(writer: KernelWriter, paths: SysfsPaths, pf: string, enabled: boolean): Promise<void> {
  return writer.write(paths.pciDeviceFile(pf, 'sriov_drivers_autoprobe'), enabled ? '1' : '0');
}

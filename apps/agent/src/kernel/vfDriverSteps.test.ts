import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimKernel, generateHost, parseFault, profiles, setFaults } from '@vfmap/simhost';
import { SysfsError, sysfsPaths, type SysfsPaths } from '@vfmap/sysfs';
import { VfDriverStepFailed } from '../operations/vfDriverErrors';
import { tempDir } from '../testing/simAgent';
import { inlineKernelWriter, type KernelWriter } from './kernelWriter';
import { readVfBinding, setDriversAutoprobeInSysfs, setVfDriverInSysfs } from './vfDriverSteps';

// The steps on the simulated kernel of a generated demo host (its store() functions follow Linux
// 6.1's driver_override, unbind and drivers_probe), through the kernel writer the agent uses.
const FREE_IAVF = '0000:18:01.3'; // E810 port 0, VF 3: iavf, interface ens1f0v3
const AUTOPROBE_OFF_VF = '0000:af:02.2'; // ConnectX-6 Dx port 1 (autoprobe 0), VF 0: no driver
const CX6P1 = '0000:af:00.1';

let root: string;
let paths: SysfsPaths;
let writer: KernelWriter;
let writes: Array<{ path: string; value: string }>;

/** The agent's writer over the simulated kernel, recording each write and failing those `fails` names. */
function writerFor(fails: (path: string, value: string) => string | null = () => null): KernelWriter {
  const inner = inlineKernelWriter(createSimKernel(root));
  return {
    async write(path, value) {
      writes.push({ path: paths.relative(path), value });
      const errno = fails(paths.relative(path), value);
      if (errno) throw new SysfsError(errno, path, `${errno}: ${path}`);
      await inner.write(path, value);
    },
    close: () => inner.close(),
  };
}

beforeEach(() => {
  root = tempDir('vfmap-vfdriver-');
  generateHost(root, profiles.demo!);
  paths = sysfsPaths(root);
  writes = [];
  writer = writerFor();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const netdevsOf = (vf: string) => (existsSync(paths.pciDeviceFile(vf, 'net')) ? readdirSync(paths.pciDeviceFile(vf, 'net')) : []);
const driverLink = (vf: string) => {
  try {
    return basename(readlinkSync(paths.pciDeviceFile(vf, 'driver')));
  } catch {
    return null;
  }
};

async function failureOf(promise: Promise<unknown>): Promise<VfDriverStepFailed> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VfDriverStepFailed);
  return err as VfDriverStepFailed;
}

describe('binding a VF to vfio-pci', () => {
  it('writes driver_override, unbinds the host driver and probes: the VF is on vfio-pci and its interface is gone', async () => {
    expect(netdevsOf(FREE_IAVF)).toEqual(['ens1f0v3']);
    await setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci');
    expect(writes).toEqual([
      { path: `sys/bus/pci/devices/${FREE_IAVF}/driver_override`, value: 'vfio-pci' },
      { path: 'sys/bus/pci/drivers/iavf/unbind', value: FREE_IAVF },
      { path: 'sys/bus/pci/drivers_probe', value: FREE_IAVF },
    ]);
    expect(driverLink(FREE_IAVF)).toBe('vfio-pci');
    expect(readVfBinding(paths, FREE_IAVF)).toEqual({ driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    expect(netdevsOf(FREE_IAVF)).toEqual([]);
    expect(existsSync(join(root, 'sys/class/net/ens1f0v3'))).toBe(false);
  });

  it('gives it back to iavf with its interface: the override cleared, vfio-pci unbound, probed', async () => {
    await setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci');
    writes.length = 0;
    await setVfDriverInSysfs(writer, paths, FREE_IAVF, null);
    expect(writes).toEqual([
      { path: `sys/bus/pci/devices/${FREE_IAVF}/driver_override`, value: '\n' },
      { path: 'sys/bus/pci/drivers/vfio-pci/unbind', value: FREE_IAVF },
      { path: 'sys/bus/pci/drivers_probe', value: FREE_IAVF },
    ]);
    expect(readFileSync(paths.pciDeviceFile(FREE_IAVF, 'driver_override'), 'utf8')).toBe('(null)\n');
    expect(readVfBinding(paths, FREE_IAVF)).toEqual({ driver: 'iavf', driverOverride: null });
    expect(netdevsOf(FREE_IAVF)).toEqual(['ens1f0v3']);
  });

  it('writes nothing for a VF that is on vfio-pci through its override already', async () => {
    await setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci');
    writes.length = 0;
    await setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci');
    expect(writes).toEqual([]);
  });

  it('binds a VF of a PF whose autoprobe is 0 (the override still probes), and releasing it leaves it unbound', async () => {
    expect(readVfBinding(paths, AUTOPROBE_OFF_VF)).toEqual({ driver: null, driverOverride: null });
    await setVfDriverInSysfs(writer, paths, AUTOPROBE_OFF_VF, 'vfio-pci');
    expect(readVfBinding(paths, AUTOPROBE_OFF_VF)).toEqual({ driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    await setVfDriverInSysfs(writer, paths, AUTOPROBE_OFF_VF, null);
    expect(readVfBinding(paths, AUTOPROBE_OFF_VF)).toEqual({ driver: null, driverOverride: null });
  });
});

describe('a step the kernel refuses', () => {
  it('is undone: the unbind fails (simhost fault), the override is cleared again, the VF stays on iavf with its interface', async () => {
    setFaults(root, [parseFault('unbind:iavf=EBUSY')]);
    const err = await failureOf(setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci'));
    expect(err).toMatchObject({ vf: FREE_IAVF, driver: 'vfio-pci', errno: 'EBUSY', path: paths.pciDriver('iavf') + '/unbind', undoFailed: null, now: { driver: 'iavf', driverOverride: null } });
    expect(err.failed).toBe(`unbind ${FREE_IAVF} from iavf`);
    expect(err.restored).toBe(true);
    expect(err.message).toContain('as before');
    expect(readVfBinding(paths, FREE_IAVF)).toEqual({ driver: 'iavf', driverOverride: null });
    expect(netdevsOf(FREE_IAVF)).toEqual(['ens1f0v3']);
  });

  it('is undone after the unbind went through: the probe fails, iavf is bound again through a temporary override', async () => {
    writer = writerFor((path) => (path === 'sys/bus/pci/drivers_probe' && writes.filter((w) => w.path === path).length === 1 ? 'EIO' : null));
    const err = await failureOf(setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci'));
    expect(err).toMatchObject({ errno: 'EIO', failed: `probe ${FREE_IAVF} (drivers_probe)`, undoFailed: null, now: { driver: 'iavf', driverOverride: null } });
    expect(writes.slice(3).map((w) => `${w.path}=${w.value.trim()}`)).toEqual([
      `sys/bus/pci/devices/${FREE_IAVF}/driver_override=iavf`,
      `sys/bus/pci/drivers_probe=${FREE_IAVF}`,
      `sys/bus/pci/devices/${FREE_IAVF}/driver_override=`,
    ]);
    expect(netdevsOf(FREE_IAVF)).toEqual(['ens1f0v3']);
  });

  it('says exactly how the VF is left when the undo fails too', async () => {
    writer = writerFor((path, value) => (path.endsWith('iavf/unbind') ? 'EBUSY' : path.endsWith('driver_override') && value === '\n' ? 'EIO' : null));
    const err = await failureOf(setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci'));
    expect(err.restored).toBe(false);
    expect(err).toMatchObject({ errno: 'EBUSY', undoFailed: 'put driver_override back to (null): EIO', now: { driver: 'iavf', driverOverride: 'vfio-pci' } });
    expect(err.message).toContain('is left bound to iavf, driver_override vfio-pci');
  });

  it('passes on a first write that failed without an errno (no kernel) as it is', async () => {
    const boom = new Error('no kernel');
    writer = { write: () => Promise.reject(boom), close: async () => {} };
    await expect(setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci')).rejects.toBe(boom);
  });

  it('writes nothing when vfio-pci is not loaded', async () => {
    rmSync(paths.pciDriver('vfio-pci'), { recursive: true, force: true });
    const err = await failureOf(setVfDriverInSysfs(writer, paths, FREE_IAVF, 'vfio-pci'));
    expect(err).toMatchObject({ failed: 'find the vfio-pci driver', undoFailed: null });
    expect(err.message).toContain('modprobe vfio-pci');
    expect(writes).toEqual([]);
  });
});

describe('sriov_drivers_autoprobe', () => {
  it('writes 0 and 1 to the PF', async () => {
    const file = paths.pciDeviceFile(CX6P1, 'sriov_drivers_autoprobe');
    await setDriversAutoprobeInSysfs(writer, paths, CX6P1, true);
    expect(readFileSync(file, 'utf8')).toBe('1\n');
    await setDriversAutoprobeInSysfs(writer, paths, CX6P1, false);
    expect(readFileSync(file, 'utf8')).toBe('0\n');
    expect(writes.map((w) => w.value)).toEqual(['1', '0']);
  });
});

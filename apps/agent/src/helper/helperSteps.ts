import type { DesiredPfState, PersistWriteOutcome, VfConfigChange, RunningFacts, SriovCapability, VfSettingName } from '@vfmap/model';
import type { AttachResult, Hypervisor, VmStates } from '@vfmap/hypervisors';
import type { SysfsPaths } from '@vfmap/sysfs';
import type { KernelWriter } from '../kernel/kernelWriter';
import type { VfSettingsWriter } from '../kernel/vfSettingsWriter';
import { setDriversAutoprobeInSysfs, setVfDriverInSysfs } from '../kernel/vfDriverSteps';
import { systemdVersionSource } from '../persistence/systemdSource';
import { writePersistence } from '../persistence/writePersistence';

/**
 * The privileged steps, each taking checked values only. In one process the agent calls them
 * directly; split, the root helper runs them for the HTTP side's messages (helperService.ts).
 */
export interface PrivilegedSteps {
  /** Writes `count` to the PF's sriov_numvfs; rejects with the kernel's SysfsError. */
  setNumVfs(pf: string, count: number): Promise<void>;
  attach(vmId: string, address: string): Promise<AttachResult>;
  detach(vmId: string, address: string): Promise<AttachResult>;
  /**
   * Applies a VF's settings with `ip link set dev <the PF's netdev> vf <index> …`, one call per
   * setting in `vfSettingsOf(change)` order, stopping at the first the driver refuses: resolves
   * with the settings applied; rejects with VfSettingRefused (operations/errors.ts), which names
   * the refused setting and those applied before it. The netdev is found from the PF's address.
   */
  setVfConfig(pf: string, vfIndex: number, change: VfConfigChange): Promise<VfSettingName[]>;
  /**
   * Binds a VF to vfio-pci (`driver_override`, unbind, `drivers_probe`) or, null, clears the
   * override and gives it back to its host driver (unbind, `drivers_probe`). A failed step is
   * undone; rejects with VfDriverStepFailed (operations/vfDriverErrors.ts), which says how the VF
   * is left (kernel/vfDriverSteps.ts).
   */
  setVfDriver(vf: string, driver: 'vfio-pci' | null): Promise<void>;
  /** Writes the PF's sriov_drivers_autoprobe. */
  setDriversAutoprobe(pf: string, enabled: boolean): Promise<void>;
  /**
   * Writes what keeps the PF's desired state at boot (persistence/writePersistence.ts: planned
   * again here, only vfmap's own files under /etc/systemd/network), or, desired null, removes
   * vfmap's files for the PF.
   */
  writePersistence(pf: string, desired: DesiredPfState | null, mode?: 'write' | 'refresh'): Promise<PersistWriteOutcome>;
}

/**
 * What the root helper does for the HTTP side: the privileged steps, and the reads only root may
 * make — `listVms`, Proxmox's `qm list` (helperResources.ts; other hypervisors' lists need no root),
 * `runningHolders`, the QEMU processes' `/proc/<pid>/fd`, and `sriovCapabilities`, the config
 * spaces past their first 64 bytes.
 */
export interface HelperSteps extends PrivilegedSteps {
  listVms(): Promise<VmStates>;
  /** What running QEMU processes hold (readRunningQemus): their fds are another user's `/proc/<pid>/fd`. */
  runningHolders(): Promise<RunningFacts>;
  /**
   * The SR-IOV extended capability of each PCI function named, in the order named
   * (checks/readSriovCapability.ts): the config space from 0x100 is root's to read.
   */
  sriovCapabilities(addresses: readonly string[]): Promise<Array<{ address: string; capability: SriovCapability }>>;
}

/**
 * `vfSettings`: runs `ip link set … vf …` (kernel/vfSettingsWriter.ts); none: this process sets no VF settings.
 * `systemdVersion`: the host's (persistence/systemdSource.ts); default the machine's own.
 */
export function localSteps(
  writer: KernelWriter,
  hypervisor: Hypervisor,
  paths: SysfsPaths,
  vfSettings?: VfSettingsWriter,
  systemdVersion: () => Promise<number | null> = systemdVersionSource('real'),
): PrivilegedSteps {
  return {
    // The path is built here, from an address the caller checked, by the one module that knows sysfs's layout.
    setNumVfs: (pf, count) => writer.write(paths.pciDeviceFile(pf, 'sriov_numvfs'), String(count)),
    attach: (vmId, address) => hypervisor.attach(vmId, address),
    detach: (vmId, address) => hypervisor.detach(vmId, address),
    setVfConfig: (pf, vfIndex, change) => (vfSettings ? vfSettings(pf, vfIndex, change) : Promise.reject(new Error('this process was not given a way to set VF settings'))),
    setVfDriver: (vf, driver) => setVfDriverInSysfs(writer, paths, vf, driver),
    setDriversAutoprobe: (pf, enabled) => setDriversAutoprobeInSysfs(writer, paths, pf, enabled),
    writePersistence: async (pf, desired, mode = 'write') => writePersistence({ root: paths.root, pf, desired, systemdVersion: await systemdVersion(), mode }),
  };
}

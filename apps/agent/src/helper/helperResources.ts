import { createHypervisor, createVmStateList, HypervisorError, readRunningQemus, type Hypervisor } from '@vfmap/hypervisors';
import type { HypervisorKind } from '@vfmap/model';
import type { SimKernelOptions } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { bundledWorkerScripts } from '../bundle';
import type { KernelKind } from '../config';
import { createKernel, kernelSpec, settleKernel } from '../kernel/kernelSpec';
import { inlineKernelWriter, workerKernelWriter, type KernelWriter } from '../kernel/kernelWriter';
import type { Logger } from '../logger';
import type { HelperCheckContext } from './helperChecks';
import { systemdVersionSource } from '../persistence/systemdSource';
import { localSteps, type HelperSteps } from './helperSteps';
import { readSriovCapabilities } from '../checks/readSriovCapability';
import { vfSettingsWriter } from '../kernel/vfSettingsWriter';

export interface HelperResourcesConfig {
  root: string;
  kernel: KernelKind;
  hypervisor: HypervisorKind;
  virsh?: string | undefined;
  qm?: string | undefined;
  libvirtUri?: string | undefined;
  writeWorker: boolean;
  /** A read-only agent's helper changes nothing, not even a write a stopped agent left half-done. */
  readOnly?: boolean;
}

export interface HelperResources {
  steps: HelperSteps;
  checks: HelperCheckContext;
  hypervisor: Hypervisor;
  close(): Promise<void>;
}

/**
 * What the root helper acts with: the kernel (a worker thread in the bundle, so a blocking write
 * stalls no other message) and the hypervisor. Made before the HTTP side starts: the simulated
 * kernel first finishes a sriov_numvfs write a stopped agent left half-done, as the one process
 * does at its start, so the HTTP side's first scan reads what the real kernel would show.
 */
export function helperResources(config: HelperResourcesConfig, logger: Logger, simulatedKernel?: SimKernelOptions): HelperResources {
  const spec = kernelSpec(config.kernel, config.root, simulatedKernel);
  if (!config.readOnly) {
    const finished = settleKernel(spec);
    if (finished) logger.warn({ pf: finished.pf, from: finished.from, to: finished.to }, 'the simulated kernel finished a sriov_numvfs write that a stopped agent left half-done');
  }
  const scripts = config.writeWorker ? bundledWorkerScripts() : null;
  const writer: KernelWriter = scripts ? workerKernelWriter(scripts.kernel, spec) : inlineKernelWriter(createKernel(spec));
  const options = {
    root: config.root,
    ...(config.virsh ? { virsh: config.virsh } : {}),
    ...(config.qm ? { qm: config.qm } : {}),
    ...(config.libvirtUri ? { libvirtUri: config.libvirtUri } : {}),
  };
  const hypervisor = createHypervisor(config.hypervisor, options);
  const listVms = createVmStateList(config.hypervisor, options);
  const paths = sysfsPaths(config.root);
  return {
    steps: {
      ...localSteps(writer, hypervisor, paths, vfSettingsWriter(spec, paths), systemdVersionSource(config.kernel)),
      // helperChecks.ts refuses listVms for the others first; this is the second line.
      listVms: listVms ?? (() => Promise.reject(new HypervisorError(`${config.hypervisor}: its VMs need no root to list`, { code: 'unsupported' }))),
      runningHolders: () => readRunningQemus(config.root),
      sriovCapabilities: (addresses) => Promise.resolve(readSriovCapabilities(config.root, addresses)),
    },
    checks: { paths, hypervisor: config.hypervisor },
    hypervisor,
    close: () => writer.close(),
  };
}

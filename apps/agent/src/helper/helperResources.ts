import { createHypervisor, type Hypervisor } from '@vfmap/hypervisors';
import type { HypervisorKind } from '@vfmap/model';
import type { SimKernelOptions } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { bundledWorkerScripts } from '../bundle';
import type { KernelKind } from '../config';
import { createKernel, kernelSpec } from '../kernel/kernelSpec';
import { inlineKernelWriter, workerKernelWriter, type KernelWriter } from '../kernel/kernelWriter';
import type { HelperCheckContext } from './helperChecks';
import { localSteps, type PrivilegedSteps } from './helperSteps';

export interface HelperResourcesConfig {
  root: string;
  kernel: KernelKind;
  hypervisor: HypervisorKind;
  virsh?: string | undefined;
  qm?: string | undefined;
  libvirtUri?: string | undefined;
  writeWorker: boolean;
}

export interface HelperResources {
  steps: PrivilegedSteps;
  checks: HelperCheckContext;
  hypervisor: Hypervisor;
  close(): Promise<void>;
}

/** What the root helper acts with: the kernel (a worker thread in the bundle, so a blocking write stalls no other message) and the hypervisor. */
export function helperResources(config: HelperResourcesConfig, simulatedKernel?: SimKernelOptions): HelperResources {
  const spec = kernelSpec(config.kernel, config.root, simulatedKernel);
  const scripts = config.writeWorker ? bundledWorkerScripts() : null;
  const writer: KernelWriter = scripts ? workerKernelWriter(scripts.kernel, spec) : inlineKernelWriter(createKernel(spec));
  const hypervisor = createHypervisor(config.hypervisor, {
    root: config.root,
    ...(config.virsh ? { virsh: config.virsh } : {}),
    ...(config.qm ? { qm: config.qm } : {}),
    ...(config.libvirtUri ? { libvirtUri: config.libvirtUri } : {}),
  });
  const paths = sysfsPaths(config.root);
  return {
    steps: localSteps(writer, hypervisor, paths),
    checks: { paths, hypervisor: config.hypervisor },
    hypervisor,
    close: () => writer.close(),
  };
}

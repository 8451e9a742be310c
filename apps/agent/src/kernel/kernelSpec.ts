import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SIMULATED_HYPERVISOR_STATE_PATH } from '@vfmap/model';
import { createSimKernel, type SimKernelOptions } from '@vfmap/simhost';
import { realKernel, SysfsError, type Kernel } from '@vfmap/sysfs';

/**
 * Which kernel the agent writes to, as plain data: a worker thread gets it in workerData and
 * builds the same Kernel there. `real` is this machine's sysfs; `simulated` is a generated tree,
 * answered by the simulated kernel of @vfmap/simhost; `none` is a captured tree, where no
 * kernel listens and a write would only overwrite a file of the capture.
 */
export type KernelSpec = { kind: 'real' } | { kind: 'simulated'; root: string; options?: SimKernelOptions } | { kind: 'none'; root: string };

/** The kernel behind a root: `/` is this machine's; a generated host (it has the simulated hypervisor's state) is simulated. */
export function kernelSpecForRoot(root: string): KernelSpec {
  if (resolve(root) === '/') return { kind: 'real' };
  if (existsSync(join(root, SIMULATED_HYPERVISOR_STATE_PATH))) return { kind: 'simulated', root };
  return { kind: 'none', root };
}

export function createKernel(spec: KernelSpec): Kernel {
  switch (spec.kind) {
    case 'real':
      return realKernel();
    case 'simulated':
      return createSimKernel(spec.root, spec.options ?? {});
    case 'none':
      return {
        writeAttribute(path) {
          throw new SysfsError('EROFS', path, `${spec.root} is a captured tree, not a live kernel: nothing can be written to it`);
        },
      };
  }
}

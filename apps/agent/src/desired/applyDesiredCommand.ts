import { createHypervisor } from '@vfmap/hypervisors';
import type { ApplyDesiredConfig } from '../config';
import { createKernel, kernelSpec } from '../kernel/kernelSpec';
import { inlineKernelWriter } from '../kernel/kernelWriter';
import { localSteps } from '../helper/helperSteps';
import { vfSettingsWriter } from '../kernel/vfSettingsWriter';
import { systemdVersionSource } from '../persistence/systemdSource';
import { sysfsPaths } from '@vfmap/sysfs';
import { createLogger } from '../logger';
import { inlineScanner } from '../scanner';
import { applyDesired } from './applyDesired';

/** The CLI's `apply-desired`: writes to the kernel --kernel names (this machine's for the root /), one line per PF on stdout, exit 1 when any was not applied. */
export async function applyDesiredCommand(config: ApplyDesiredConfig, out: { write(text: string): unknown }): Promise<number> {
  const hypervisor = createHypervisor(config.hypervisor, {
    root: config.root,
    ...(config.virsh ? { virsh: config.virsh } : {}),
    ...(config.qm ? { qm: config.qm } : {}),
    ...(config.libvirtUri ? { libvirtUri: config.libvirtUri } : {}),
  });
  // A one-shot command: a blocking write on this thread stalls nothing else.
  const report = await applyDesired({
    root: config.root,
    stateDir: config.stateDir,
    hypervisor,
    scanner: inlineScanner(),
    writer: localSteps(inlineKernelWriter(createKernel(kernelSpec(config.kernel, config.root))), hypervisor, sysfsPaths(config.root), vfSettingsWriter(kernelSpec(config.kernel, config.root), sysfsPaths(config.root)), systemdVersionSource(config.kernel)),
    logger: createLogger(config.logLevel),
    force: config.force,
  });
  out.write(`${report.lines.join('\n')}\n`);
  return report.notApplied > 0 ? 1 : 0;
}

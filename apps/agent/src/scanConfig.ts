import { HYPERVISOR_KINDS, type HypervisorKind } from '@vfmap/model';
import { ConfigError, type Env, parseFlags } from './configFlags';

/**
 * `vfmap scan`'s flags and variables. Checked by hand rather than with zod: loading zod and building
 * the model's schemas took longer than the scan of a large host, and a one-shot command pays it on
 * every run (docs/benchmarks.md). With config.ts, the only file that reads process.env.
 */
export interface ScanConfig {
  root: string;
  json: boolean;
  hypervisor: HypervisorKind;
}

export function parseScanConfig(args: string[], env: Env = process.env): ScanConfig {
  const values = parseFlags(args, { root: { type: 'string' }, json: { type: 'boolean' }, hypervisor: { type: 'string' } });
  const root = (values.root as string | undefined) ?? env.VFMAP_ROOT ?? '/';
  const hypervisor = (values.hypervisor as string | undefined) ?? env.VFMAP_HYPERVISOR ?? 'none';
  if (root === '') throw new ConfigError('root: --root (or VFMAP_ROOT) is empty; give a directory, / for this host');
  if (!isHypervisorKind(hypervisor)) {
    throw new ConfigError(`hypervisor: expected one of ${HYPERVISOR_KINDS.join(', ')}, got "${hypervisor}"`);
  }
  return { root, json: values.json === true, hypervisor };
}

function isHypervisorKind(value: string): value is HypervisorKind {
  return (HYPERVISOR_KINDS as readonly string[]).includes(value);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHost, profiles, profileNames, REAL_KERNEL_TIMING } from '@vfmap/simhost';
import type { DemoConfig } from './config';
import { ConfigError } from './config';
import { startAgent, type RunningAgent } from './startAgent';

export interface RunningDemo extends RunningAgent {
  root: string;
}

/**
 * `vfmap demo` (what `npm start` runs): the real agent over a simulated host — a generated
 * sysfs tree in a temporary directory, and the simulated hypervisor's VMs beside it. Writes go
 * to the simulated kernel at the real one's pace (disabling VFs takes about a second), so the
 * page shows an operation in progress as it would on a real host.
 */
export async function startDemo(config: DemoConfig): Promise<RunningDemo> {
  const profile = profiles[config.profile];
  if (!profile) throw new ConfigError(`unknown profile "${config.profile}"; profiles: ${profileNames.join(', ')}`);
  const ownDir = config.dir === undefined;
  const root = config.dir ?? mkdtempSync(join(tmpdir(), 'vfmap-demo-'));
  generateHost(root, profile);
  const agent = await startAgent({ ...config, root }, { kernelSpec: { kind: 'simulated', root, options: REAL_KERNEL_TIMING } });
  return {
    ...agent,
    root,
    async close() {
      await agent.close();
      if (ownDir) rmSync(root, { recursive: true, force: true });
    },
  };
}

import { generateHost, profiles, profileNames, REAL_KERNEL_TIMING, tempRoot } from '@vfmap/simhost';
import type { DemoConfig } from './config';
import { ConfigError } from './configFlags';
import { startAgent, type RunningAgent } from './startAgent';

export interface RunningDemo extends RunningAgent {
  root: string;
}

/**
 * `vfmap demo` (what `npm start` runs): the real agent over a simulated host — a generated
 * sysfs tree in a temporary directory (in /dev/shm where there is one: the large profile is
 * 140 000 small files, which take seconds to make and remove on a disk), and the simulated
 * hypervisor's VMs beside it. Writes go
 * to the simulated kernel at the real one's pace (disabling VFs takes about a second), so the
 * page shows an operation in progress as it would on a real host.
 */
export async function startDemo(config: DemoConfig): Promise<RunningDemo> {
  const profile = profiles[config.profile];
  if (!profile) throw new ConfigError(`unknown profile "${config.profile}"; profiles: ${profileNames.join(', ')}`);
  const own = config.dir === undefined ? tempRoot('vfmap-demo-') : null;
  const root = config.dir ?? own!.dir;
  generateHost(root, profile);
  const agent = await startAgent({ ...config, root, kernel: 'simulated' }, { simulatedKernel: REAL_KERNEL_TIMING });
  return {
    ...agent,
    root,
    async close() {
      await agent.close();
      own?.remove();
    },
  };
}

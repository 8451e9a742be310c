import { chmodSync } from 'node:fs';
import { generateHost, profiles, profileNames, REAL_KERNEL_TIMING, tempRoot } from '@vfmap/simhost';
import type { DemoConfig } from './config';
import { ConfigError } from './configFlags';
import { createLogger } from './logger';
import { helperResources } from './helper/helperResources';
import { startSplitAgent, type SplitAgent } from './helper/splitAgent';
import { resolveUser } from './helper/systemUser';
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
  const { root, own } = makeDemoHost(config);
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

function makeDemoHost(config: DemoConfig): { root: string; own: { remove(): void } | null } {
  const profile = profiles[config.profile];
  if (!profile) throw new ConfigError(`unknown profile "${config.profile}"; profiles: ${profileNames.join(', ')}`);
  const own = config.dir === undefined ? tempRoot('vfmap-demo-') : null;
  const root = config.dir ?? own!.dir;
  generateHost(root, profile);
  return { root, own };
}

export interface SplitDemo {
  root: string;
  split: SplitAgent;
  close(): Promise<void>;
}

/**
 * `vfmap demo --split`: the demo as the agent runs split on a host — this process the root helper
 * with the simulated kernel, the HTTP side a child (`vfmap http-side demo`) that reads the tree as
 * --user (`vfmap`, else `nobody`) when started as root, or as the same user otherwise (the
 * protocol is then what is tried, not the privilege drop).
 */
export function startSplitDemo(config: DemoConfig, args: string[]): SplitDemo {
  const { root, own } = makeDemoHost(config);
  const isRoot = process.getuid?.() === 0;
  // mkdtemp made it 0700: the HTTP side, another user, reads it (the files in it are 0644).
  if (isRoot) chmodSync(root, 0o755);
  const logger = createLogger(config.logLevel);
  const resources = helperResources({ root, kernel: 'simulated', hypervisor: config.hypervisor, writeWorker: config.writeWorker, readOnly: config.readOnly }, logger, REAL_KERNEL_TIMING);
  const split = startSplitAgent({
    childArgs: ['demo', ...args, '--dir', root, '--state-dir', config.stateDir],
    user: isRoot ? resolveUser(config.user) : null,
    stateDir: config.readOnly ? null : config.stateDir,
    resources,
    logger,
  });
  return {
    root,
    split,
    async close() {
      await split.close();
      own?.remove();
    },
  };
}

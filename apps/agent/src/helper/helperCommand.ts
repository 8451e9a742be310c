import type { HelperConfig } from '../config';
import { createLogger } from '../logger';
import { helperResources } from './helperResources';
import { listenHelper } from './helperListener';
import { resolveUser } from './systemUser';

/**
 * `vfmap helper` (packaging/vfmap-helper.service): the root helper as a service of its own, for
 * an HTTP side started by systemd as the vfmap user (`vfmap agent --helper-socket`).
 */
export async function runHelper(config: HelperConfig): Promise<{ close(): Promise<void> }> {
  const logger = createLogger(config.logLevel);
  const user = resolveUser(config.user);
  if (process.getuid?.() !== 0) logger.warn({ uid: process.getuid?.() }, 'the helper is not root: its steps will fail with EACCES wherever the kernel wants root');
  const resources = helperResources(config, logger);
  const listener = await listenHelper({ path: config.socket, user, checks: resources.checks, steps: resources.steps, logger });
  return {
    async close() {
      await listener.close();
      await resources.close();
    },
  };
}

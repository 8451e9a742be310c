import { Socket } from 'node:net';
import { parseAgentConfig, parseDemoConfig, type AgentConfig } from '../config';
import { ConfigError } from '../configFlags';
import { createLogger } from '../logger';
import { startAgent, type RunningAgent } from '../startAgent';
import { dropPrivileges } from './dropPrivileges';
import { helperClient } from './helperClient';
import { helperResources } from './helperResources';
import { startSplitAgent, HELPER_FD, type SplitAgent } from './splitAgent';
import { resolveUser } from './systemUser';

export { runHelper } from './helperCommand';

/** `vfmap agent` as root: this process becomes the helper and starts the HTTP side. */
export async function splitAgentCommand(config: AgentConfig, args: string[]): Promise<SplitAgent> {
  const user = resolveUser(config.user);
  const logger = createLogger(config.logLevel);
  const resources = helperResources(config, logger);
  return startSplitAgent({ childArgs: ['agent', ...args], user, stateDir: config.readOnly ? null : config.stateDir, resources, logger });
}

/**
 * `vfmap http-side agent|demo ARGS`: the HTTP side of the split agent. It becomes the
 * unprivileged user first (when started as root), then starts the agent with every privileged
 * step sent to the helper on fd 3. When the helper's end closes (the helper died) it exits:
 * without its helper it could not change anything, and systemd restarts the pair.
 */
export async function startHttpSide(args: string[]): Promise<{ agent: RunningAgent }> {
  const [mode, ...rest] = args;
  let config: AgentConfig;
  if (mode === 'agent') config = parseAgentConfig(rest);
  else if (mode === 'demo') {
    const demo = parseDemoConfig(rest, '');
    if (!demo.dir) throw new ConfigError('http-side demo needs --dir (the split demo passes it)');
    const { profile: _p, dir, split: _s, ...agentPart } = demo;
    config = { ...agentPart, root: dir, kernel: 'simulated' };
  } else throw new ConfigError('http-side is started by the split agent: http-side agent|demo ARGS');

  if (process.getuid?.() === 0) dropPrivileges(resolveUser(config.user));
  const channel = new Socket({ fd: HELPER_FD, readable: true, writable: true });
  const helper = helperClient({
    connect: () => channel,
    reconnect: false,
    eager: true,
    onLost: () => {
      process.stderr.write('vfmap http-side: the root helper is gone; stopping\n');
      process.exit(1);
    },
  });
  // Its end of the socketpair keeps the process alive: a start that fails must close it, or the child would linger.
  const agent = await startAgent({ ...config, singleProcess: true, helperSocket: undefined }, { helper }).catch(async (err: unknown) => {
    await helper.close();
    channel.destroy();
    throw err;
  });
  return { agent };
}

/**
 * The peers of the fleet benchmark: N real agents (the agent's own code, in this one process)
 * over one simulated host tree, each with its own host id and port, read-only (the benchmark
 * only reads). Prints one JSON line with their URLs once all listen, then runs until killed.
 */
import { generateHost, profiles, tempRoot } from '@vfmap/simhost';
import { parseAgentConfig } from '../apps/agent/src/config';
import { startAgent, type RunningAgent } from '../apps/agent/src/startAgent';

const count = Number(process.argv[2] ?? 200);
const profile = profiles[process.argv[3] ?? 'demo'];
if (!profile) throw new Error(`no profile ${process.argv[3]}`);
const tree = tempRoot('vfmap-bench-peers-');
generateHost(tree.dir, profile);
const agents: RunningAgent[] = [];
for (let i = 0; i < count; i++) {
  const id = `hv${String(i + 1).padStart(3, '0')}`;
  const config = parseAgentConfig(
    ['--root', tree.dir, '--kernel', 'none', '--hypervisor', 'simulated', '--host-id', id, '--listen', '127.0.0.1:0', '--read-only', '--log-level', 'silent', '--no-scan-worker', '--no-write-worker'],
    {},
  );
  agents.push(await startAgent(config, { watchIntervalMs: 60_000 }));
}
process.stdout.write(`${JSON.stringify({ urls: agents.map((a) => a.url) })}\n`);
const stop = async () => {
  await Promise.all(agents.map((a) => a.close()));
  tree.remove();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

/**
 * The peers of the fleet benchmark: N real agents (the agent's own code, in this one process)
 * over simulated hosts with distinct ids, each on its own port. Prints one JSON line with their
 * URLs once all listen, then runs until killed.
 */
import { startSimAgent } from '../apps/agent/src/testing/simAgent';

const count = Number(process.argv[2] ?? 200);
const profile = process.argv[3] ?? 'demo';
const agents: Awaited<ReturnType<typeof startSimAgent>>[] = [];
for (let i = 0; i < count; i++) {
  agents.push(await startSimAgent({ profile, args: ['--host-id', `hv${String(i + 1).padStart(3, '0')}`, '--no-scan-worker', '--no-write-worker'], watchIntervalMs: 60_000 }));
}
process.stdout.write(`${JSON.stringify({ urls: agents.map((a) => a.agent.url) })}\n`);
const stop = async () => {
  await Promise.all(agents.map((a) => a.close()));
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

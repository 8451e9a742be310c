import { spawn } from 'node:child_process';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '../../../..');
const cli = join(repo, 'apps/agent/src/cli.ts');
/** tsx compiles the agent first; on a busy 2-core machine a start takes a few seconds. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface DemoAgent {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the real agent over a simulated host: `vfmap demo --profile <profile>` run from the
 * sources (so it is the agent of this checkout, built or not), on a port the kernel picks. The
 * page's code may import only @vfmap/model, so the agent is a process spoken to over HTTP, as the
 * page speaks to it. `token` becomes its write token (VFMAP_TOKEN); `readOnly` adds --read-only.
 */
export function startDemoAgent(profile: string, options: { token?: string; readOnly?: boolean } = {}): Promise<DemoAgent> {
  // node --import tsx (not the tsx launcher, which runs node as a child): one process to signal.
  const args = ['--import', 'tsx', cli, 'demo', '--profile', profile, '--listen', '127.0.0.1:0', '--log-level', 'warn', ...(options.readOnly ? ['--read-only'] : [])];
  const env = { ...process.env, ...(options.token ? { VFMAP_TOKEN: options.token } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`vfmap demo --profile ${profile} printed no URL within ${START_TIMEOUT_MS} ms\n${output}`));
    }, START_TIMEOUT_MS);
    const failed = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`vfmap demo --profile ${profile} exited with ${code} before listening\n${output}`));
    };
    child.once('exit', failed);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Open (http:\/\/\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', failed);
      resolve({
        url: m[1]!.replace(/\/$/, ''),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            // SIGTERM lets the demo remove its generated tree; one that hangs is killed.
            const hard = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
            child.once('exit', () => {
              clearTimeout(hard);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = join(repo, 'apps/agent/dist/vfmap.js');
/** Generating the large profile (2048 VFs) and its first scan take a few seconds on 2 cores. */
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningDemo {
  url: string;
  /** everything the demo printed on stdout, the write token notice included. */
  stdout: string;
  stop(): Promise<void>;
}

/**
 * Starts `vfmap demo --profile <profile> --listen 127.0.0.1:0`: the real agent over a generated
 * host, on a port the kernel picks. It prints "Open <url>" once it listens. `env` adds variables
 * (VFMAP_TOKEN sets the write token), `args` more flags (--read-only).
 */
export function startDemo(profile: string, options: { env?: Record<string, string>; args?: string[] } = {}): Promise<RunningDemo> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [cli, 'demo', '--profile', profile, '--listen', '127.0.0.1:0', '--log-level', 'warn', ...(options.args ?? [])], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`vfmap demo --profile ${profile} printed no URL within ${START_TIMEOUT_MS} ms\n${stdout}\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /Open (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!.replace(/\/$/, ''),
          get stdout() {
            return stdout;
          },
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              // SIGTERM lets the demo remove its generated tree; a demo that hangs is killed.
              const hard = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
              child.once('exit', () => {
                clearTimeout(hard);
                done();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vfmap demo --profile ${profile} exited with ${code} before listening\n${stdout}\n${stderr}`));
    });
  });
}

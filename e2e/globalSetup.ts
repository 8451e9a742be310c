import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'apps/agent/dist/vfmap.js');
/** Generating the large profile (2048 VFs) and its first scan take a few seconds on 2 cores. */
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningDemo {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `vfmap demo --profile <profile> --listen 127.0.0.1:0`: the real agent over a generated
 * host, on a port the kernel picks. It prints "Open <url>" once it listens.
 */
export function startDemo(profile: string): Promise<RunningDemo> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [cli, 'demo', '--profile', profile, '--listen', '127.0.0.1:0', '--log-level', 'warn'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
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

export default async function globalSetup(): Promise<() => Promise<void>> {
  const wanted: [string, string][] = [
    ['VFMAP_E2E_DEMO_URL', 'demo'],
    ['VFMAP_E2E_LARGE_URL', 'large'],
  ];
  const missing = wanted.filter(([env]) => !process.env[env]);
  if (missing.length > 0 && !existsSync(cli)) {
    throw new Error(`${cli} does not exist: run "npm run build" first (npm run e2e does), or set ${missing.map(([e]) => e).join(' and ')}`);
  }
  const started = await Promise.all(missing.map(([, profile]) => startDemo(profile)));
  // Workers inherit the environment globalSetup leaves behind.
  missing.forEach(([env], i) => {
    process.env[env] = started[i]!.url;
  });
  return async () => {
    await Promise.all(started.map((d) => d.stop()));
  };
}

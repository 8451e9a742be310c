import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SimPaths } from './simPaths';
import { sleepSync } from './sleepSync';

const owner = () => `${process.pid}.${threadId}`;

function ownerAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'owner'), 'utf8').split('.')[0]);
  } catch {
    // Taken a moment ago and its owner file not written yet: treat as alive.
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding the simulated kernel's lock, so that writes from several threads or processes
 * over one tree happen one after the other — as device_lock() serialises sriov_numvfs_store()
 * and driver binding in the real kernel. The lock is a directory (mkdir is atomic); one left by a
 * process that died is taken over.
 */
export function withKernelLock<T>(paths: SimPaths, fn: () => T, timeoutMs = 60_000): T {
  const lockDir = join(paths.simState, 'kernel.lock');
  mkdirSync(paths.simState, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner'), owner());
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!ownerAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`simulated kernel: ${lockDir} held for over ${timeoutMs} ms`);
      sleepSync(1);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

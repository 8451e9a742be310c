import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SimPaths } from './simPaths';
import { sleepSync } from './sleepSync';

const owner = () => `${process.pid}.${threadId}`;
let claims = 0;

function ownerAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'owner'), 'utf8').split('.')[0]);
  } catch {
    // The lock appears with its owner file already in it (renamed in whole, below); one without
    // is gone (released a moment ago) or was left empty by a writer killed before this was so.
    return false;
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
 * and driver binding in the real kernel. The lock is a directory naming its owner, which appears
 * and goes by rename (atomic); one left by a process that died is taken over.
 */
export function withKernelLock<T>(paths: SimPaths, fn: () => T, timeoutMs = 60_000): T {
  const lockDir = join(paths.simState, 'kernel.lock');
  mkdirSync(paths.simState, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Made beside the lock with the owner inside, then renamed onto it: a process killed at any
    // point leaves either no lock or one that names its owner, never an empty one that nobody
    // could tell was abandoned. rename(2) fails with ENOTEMPTY/EEXIST when another holds it.
    const claim = `${lockDir}.${owner()}.${++claims}`;
    try {
      mkdirSync(claim);
      writeFileSync(join(claim, 'owner'), owner());
      renameSync(claim, lockDir);
      break;
    } catch (err) {
      rmSync(claim, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
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
    // Renamed away whole, then removed: the lock is never seen without its owner file.
    const released = `${lockDir}.released.${owner()}.${++claims}`;
    renameSync(lockDir, released);
    rmSync(released, { recursive: true, force: true });
  }
}

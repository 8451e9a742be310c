const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the thread for `ms` without spinning: Atomics.wait on a cell nobody notifies. The
 * simulated kernel stays synchronous, as a write(2) to sysfs is, while taking the real kernel's
 * time (sriov_disable() sleeps a second).
 */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}

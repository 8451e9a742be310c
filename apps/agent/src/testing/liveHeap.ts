import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The memory a test's in-process agent keeps: the V8 heap in use after a full collection. The
 * process's RSS also counts the test's own garbage and the heap V8 grew lazily and keeps; a leak
 * shows as live heap that no collection frees.
 */
export function liveHeapBytes(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

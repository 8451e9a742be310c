import { Worker } from 'node:worker_threads';
import type { Kernel } from '@vfmap/sysfs';
import { asSysfsError } from '../sysfsErrors';
import { workerCalls } from '../workerCalls';
import { fromWorkerError, type WorkerError } from '../workerError';
import type { KernelSpec } from './kernelSpec';

/**
 * Writes sysfs attributes for the operations module. A write of sriov_numvfs is one blocking
 * write(2) that lasts as long as the kernel works: "0" takes 1.0–1.5 s because sriov_disable()
 * sleeps a second (probe.txt), and enabling waits 100 ms plus the VF drivers' probes. On the
 * main thread that would stall every other request and the event streams, so the agent as shipped
 * writes from a worker thread; tests and `tsx` runs write inline.
 */
export interface KernelWriter {
  /** Resolves when the kernel took the value; rejects with a SysfsError carrying the errno (NoKernelError with --kernel none). */
  write(path: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** One write as the kernel writer does it, on any thread: the kernel's refusal is a SysfsError. */
export function writeKernelAttribute(kernel: Kernel, path: string, value: string): void {
  try {
    kernel.writeAttribute(path, value);
  } catch (err) {
    throw asSysfsError(err, path);
  }
}

/** Writes on the calling thread (tests, and the CLI run from source). */
export function inlineKernelWriter(kernel: Kernel): KernelWriter {
  return {
    async write(path, value) {
      writeKernelAttribute(kernel, path, value);
    },
    async close() {},
  };
}

export interface KernelWriteRequest {
  id: number;
  path: string;
  value: string;
}
export type KernelWriteReply = { id: number } | { id: number; error: WorkerError };

/**
 * Writes in one long-lived worker thread (kernelWorker.ts, bundled beside the CLI), which builds
 * its Kernel from `spec`. Writes are done one after another in the order they were asked for;
 * the per-PF queue of the operations module already keeps a PF's writes in order. A crashed
 * worker fails the writes in flight and is started again on the next.
 */
export function workerKernelWriter(workerScript: string, spec: KernelSpec): KernelWriter {
  const calls = workerCalls<Omit<KernelWriteRequest, 'id'>, KernelWriteReply>('kernel write', () => new Worker(workerScript, { workerData: spec }));
  return {
    write: (path, value) =>
      calls.call({ path, value }, (reply) => {
        if ('error' in reply) throw fromWorkerError(reply.error);
      }),
    close: () => calls.close(),
  };
}

import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Kernel } from '@vfmap/sysfs';
import { asSysfsError } from '../sysfsErrors';
import { workerCalls, type WorkerCalls } from '../workerCalls';
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

/** How long a lane's worker thread stays after its last write. */
const LANE_IDLE_MS = 30_000;

/**
 * Writes in worker threads (kernelWorker.ts, bundled beside the CLI), each of which builds its
 * Kernel from `spec`: one lane — a worker — per folder written in (a device's attributes, a
 * driver's bind/unbind), started at its first write and stopped after LANE_IDLE_MS without one.
 * A lane's writes are done in the order asked for. A write(2) that blocks — a VF removal waiting
 * for a held VF's driver, for minutes — holds only its own lane: the other PFs' writes go on in
 * theirs, as they would from separate shells. A crashed worker fails the writes in flight and is
 * started again on the lane's next.
 */
export function workerKernelWriter(workerScript: string, spec: KernelSpec, idleMs = LANE_IDLE_MS): KernelWriter {
  interface Lane {
    calls: WorkerCalls<Omit<KernelWriteRequest, 'id'>, KernelWriteReply>;
    inFlight: number;
    idle: NodeJS.Timeout | null;
  }
  const lanes = new Map<string, Lane>();
  let closed = false;
  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { calls: workerCalls('kernel write', () => new Worker(workerScript, { workerData: spec })), inFlight: 0, idle: null };
      lanes.set(key, lane);
    }
    return lane;
  };
  return {
    async write(path, value) {
      const key = dirname(path);
      const lane = laneOf(key);
      if (lane.idle) clearTimeout(lane.idle);
      lane.idle = null;
      lane.inFlight++;
      try {
        await lane.calls.call({ path, value }, (reply) => {
          if ('error' in reply) throw fromWorkerError(reply.error);
        });
      } finally {
        lane.inFlight--;
        if (lane.inFlight === 0 && !closed) {
          lane.idle = setTimeout(() => {
            if (lane.inFlight > 0 || lanes.get(key) !== lane) return;
            lanes.delete(key);
            void lane.calls.close();
          }, idleMs);
          lane.idle.unref();
        }
      }
    },
    async close() {
      closed = true;
      const all = [...lanes.values()];
      lanes.clear();
      for (const lane of all) if (lane.idle) clearTimeout(lane.idle);
      await Promise.all(all.map((lane) => lane.calls.close()));
    },
  };
}

import { Worker } from 'node:worker_threads';
import { SysfsError, type Kernel } from '@vfmap/sysfs';
import type { KernelSpec } from './kernelSpec';

/**
 * Writes sysfs attributes for the operations module. A write of sriov_numvfs is one blocking
 * write(2) that lasts as long as the kernel works: "0" takes 1.0–1.5 s because sriov_disable()
 * sleeps a second (probe.txt), and enabling waits 100 ms plus the VF drivers' probes. On the
 * main thread that would stall every other request and the event streams, so the agent as shipped
 * writes from a worker thread; tests and `tsx` runs write inline.
 */
export interface KernelWriter {
  /** Resolves when the kernel took the value; rejects with a SysfsError carrying the errno. */
  write(path: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The errors a Kernel throws, as one type: realKernel() throws SysfsError already; the simulated
 * kernel throws errors shaped like fs.writeFileSync's (`code`, negative `errno`).
 */
export function toSysfsError(err: unknown, path: string): unknown {
  if (err instanceof SysfsError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return new SysfsError(code, path, (err as Error).message);
  return err;
}

/** Writes on the calling thread (tests, and the CLI run from source). */
export function inlineKernelWriter(kernel: Kernel): KernelWriter {
  return {
    async write(path, value) {
      try {
        kernel.writeAttribute(path, value);
      } catch (err) {
        throw toSysfsError(err, path);
      }
    },
    async close() {},
  };
}

export interface KernelWriteRequest {
  id: number;
  path: string;
  value: string;
}
export type KernelWriteReply = { id: number } | { id: number; error: { code: string | null; message: string } };

/**
 * Writes in one long-lived worker thread (kernelWorker.ts, bundled beside the CLI), which builds
 * its Kernel from `spec`. Writes are done one after another in the order they were asked for;
 * the per-PF queue of the operations module already keeps a PF's writes in order. A crashed
 * worker fails the writes in flight and is started again on the next.
 */
export function workerKernelWriter(workerScript: string, spec: KernelSpec): KernelWriter {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { path: string; resolve: () => void; reject: (e: unknown) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(workerScript, { workerData: spec });
    w.on('message', (msg: KernelWriteReply) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if ('error' in msg) {
        p.reject(msg.error.code ? new SysfsError(msg.error.code, p.path, msg.error.message) : new Error(msg.error.message));
      } else p.resolve();
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`kernel write worker exited with code ${code}`)));
    worker = w;
    return w;
  };

  return {
    write(path, value) {
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { path, resolve, reject });
        ensure().postMessage({ id, path, value } satisfies KernelWriteRequest);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) {
        w.removeAllListeners('exit');
        await w.terminate();
      }
    },
  };
}

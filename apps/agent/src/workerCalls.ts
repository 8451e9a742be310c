import type { Worker } from 'node:worker_threads';

/**
 * Calls into one long-lived worker thread, each matched to its reply by an id. The worker starts
 * with the first call; a worker that crashes or cannot start fails the calls in flight, and the
 * next call starts a new one. Used by the scanner (scanWorker.ts) and the kernel writer
 * (kernelWorker.ts).
 */
export interface WorkerCalls<Request, Reply> {
  /** Sends `request` with an id; `read` turns the reply into the result, or throws its error. */
  call<T>(request: Request, read: (reply: Reply) => T): Promise<T>;
  close(): Promise<void>;
}

export function workerCalls<Request extends object, Reply extends { id: number }>(name: string, start: () => Worker): WorkerCalls<Request, Reply> {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { read: (reply: Reply) => unknown; resolve: (value: unknown) => void; reject: (e: unknown) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = start();
    w.on('message', (reply: Reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      try {
        p.resolve(p.read(reply));
      } catch (err) {
        p.reject(err);
      }
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`${name} worker exited with code ${code}`)));
    worker = w;
    return w;
  };

  return {
    call<T>(request: Request, read: (reply: Reply) => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { read, resolve: resolve as (value: unknown) => void, reject });
        ensure().postMessage({ ...request, id });
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

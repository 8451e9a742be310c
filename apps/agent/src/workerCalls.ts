import type { Worker } from 'node:worker_threads';
import { UnavailableError } from './errors';

/**
 * Calls into one long-lived worker thread, each matched to its reply by an id. The worker starts
 * with the first call; a worker that crashes or cannot start fails the calls in flight, and the
 * next call starts a new one. Used by the scanner (scanWorker.ts) and the kernel writer
 * (kernelWorker.ts).
 */
export interface WorkerCalls<Request, Reply> {
  /** Sends `request` with an id; `read` turns the reply into the result, or throws its error. */
  call<T>(request: Request, read: (reply: Reply) => T): Promise<T>;
  /**
   * Stops the worker. Calls still waiting for their reply, and calls made afterwards, reject with
   * an UnavailableError: nobody is left to answer them.
   */
  close(): Promise<void>;
}

export function workerCalls<Request extends object, Reply extends { id: number }>(name: string, start: () => Worker): WorkerCalls<Request, Reply> {
  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { read: (reply: Reply) => unknown; resolve: (value: unknown) => void; reject: (e: unknown) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };

  // A kernel write the worker had begun may still complete as the thread stops (terminate() waits
  // for a blocking write(2) to return); the error says the answer is missing, not that nothing happened.
  const closedError = () => new UnavailableError(`the ${name} worker was stopped before it answered (the agent is shutting down); the call's outcome is unknown`);

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
        if (closed) {
          reject(closedError());
          return;
        }
        const id = nextId++;
        pending.set(id, { read, resolve: resolve as (value: unknown) => void, reject });
        ensure().postMessage({ ...request, id });
      });
    },
    async close() {
      closed = true;
      const w = worker;
      failAll(closedError());
      if (w) {
        w.removeAllListeners('exit');
        w.removeAllListeners('message');
        await w.terminate();
      }
    },
  };
}

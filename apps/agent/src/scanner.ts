import { Worker } from 'node:worker_threads';
import type { Topology } from '@vfmap/model';
import { readFingerprint, readTopology } from '@vfmap/sysfs';

export interface ScanRequest {
  root: string;
  hostId?: string;
  /** Where pci.ids is looked for, in order (see ReadTopologyOptions). */
  pciIdsRoots?: string[];
}

/** A tree captured elsewhere has no pci.ids: name its devices from this machine's. */
export function pciIdsRootsFor(root: string): string[] {
  return root === '/' ? ['/'] : [root, '/'];
}

/**
 * Reads sysfs: the full topology, or the cheap fingerprint that says whether it changed. In the
 * agent a worker thread does both, so the event loop stays free.
 */
export interface Scanner {
  scan(request: ScanRequest): Promise<Topology>;
  fingerprint(root: string): Promise<string>;
  close(): Promise<void>;
}

/** Reads on the calling thread: for the CLI's one-shot scan and for tests. */
export function inlineScanner(): Scanner {
  return {
    async scan(request) {
      return readTopology(request);
    },
    async fingerprint(root) {
      return readFingerprint(root);
    },
    async close() {},
  };
}

type WorkerCall = { kind: 'scan'; request: ScanRequest } | { kind: 'fingerprint'; root: string };
export type WorkerRequest = WorkerCall & { id: number };
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * Reads in one long-lived worker thread (scanWorker.ts, bundled beside the CLI). A full scan of
 * 2000 VFs is a few hundred milliseconds of synchronous sysfs reads, and even the fingerprint is
 * tens; done on the main thread they would stall every other request. The worker keeps pci.ids
 * parsed between scans. A crashed worker fails the calls in flight and is started again on the next.
 */
export function workerScanner(workerScript: string): Scanner {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(workerScript);
    w.on('message', (msg: WorkerReply) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if ('error' in msg) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`scan worker exited with code ${code}`)));
    worker = w;
    return w;
  };

  const call = <T>(message: WorkerCall): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ensure().postMessage({ ...message, id });
    });

  return {
    scan: (request) => call<Topology>({ kind: 'scan', request }),
    fingerprint: (root) => call<string>({ kind: 'fingerprint', root }),
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

import { Worker } from 'node:worker_threads';
import type { Topology } from '@vfmap/model';
import { readTopology } from '@vfmap/sysfs';

export interface ScanRequest {
  root: string;
  hostId?: string;
}

/** Reads a full topology. In the agent a worker thread does it, so the event loop stays free. */
export interface Scanner {
  scan(request: ScanRequest): Promise<Topology>;
  close(): Promise<void>;
}

/** Scans on the calling thread: for the CLI's one-shot scan and for tests. */
export function inlineScanner(): Scanner {
  return {
    async scan(request) {
      return readTopology(request);
    },
    async close() {},
  };
}

interface Pending {
  resolve: (t: Topology) => void;
  reject: (e: Error) => void;
}

/**
 * Scans in one long-lived worker thread (scanWorker.ts, bundled beside the CLI). A full scan of
 * 2000 VFs takes a few hundred milliseconds of synchronous sysfs reads; done here they would stall
 * every other request. The worker keeps pci.ids parsed between scans.
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
    w.unref();
    w.on('message', (msg: { id: number; topology?: Topology; error?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.topology) p.resolve(msg.topology);
      else p.reject(new Error(msg.error ?? 'scan failed'));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`scan worker exited with code ${code}`)));
    worker = w;
    return w;
  };

  return {
    scan(request) {
      return new Promise<Topology>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        ensure().postMessage({ id, request });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

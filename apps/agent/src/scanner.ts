import { Worker } from 'node:worker_threads';
import type { Topology } from '@vfmap/model';
import { readFingerprint, readTopology } from '@vfmap/sysfs';
import { asSysfsError } from './sysfsErrors';
import { workerCalls } from './workerCalls';
import { fromWorkerError, type WorkerError } from './workerError';

export interface ScanRequest {
  root: string;
  hostId?: string;
  /** Where pci.ids is looked for, in order (see ReadTopologyOptions). */
  pciIdsRoots?: string[];
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

/** Runs one read as a scanner does, on any thread: an fs error that escapes the reader is a SysfsError. */
export function runScanCall(call: ScanCall): unknown {
  try {
    return call.kind === 'scan' ? readTopology(call.request) : readFingerprint(call.root);
  } catch (err) {
    throw asSysfsError(err);
  }
}

/** Reads on the calling thread: for the CLI's one-shot scan and for tests. */
export function inlineScanner(): Scanner {
  return {
    async scan(request) {
      return runScanCall({ kind: 'scan', request }) as Topology;
    },
    async fingerprint(root) {
      return runScanCall({ kind: 'fingerprint', root }) as string;
    },
    async close() {},
  };
}

export type ScanCall = { kind: 'scan'; request: ScanRequest } | { kind: 'fingerprint'; root: string };
export type WorkerRequest = ScanCall & { id: number };
export type WorkerReply = { id: number; result: unknown } | { id: number; error: WorkerError };

/**
 * Reads in one long-lived worker thread (scanWorker.ts, bundled beside the CLI). A full scan of
 * 2000 VFs is a few hundred milliseconds of synchronous sysfs reads, and even the fingerprint is
 * tens; done on the main thread they would stall every other request. The worker keeps pci.ids
 * parsed between scans. A crashed worker fails the calls in flight and is started again on the next.
 */
export function workerScanner(workerScript: string): Scanner {
  const calls = workerCalls<ScanCall, WorkerReply>('scan', () => new Worker(workerScript));
  const result = <T>(reply: WorkerReply): T => {
    if ('error' in reply) throw fromWorkerError(reply.error);
    return reply.result as T;
  };
  return {
    scan: (request) => calls.call({ kind: 'scan', request }, result<Topology>),
    fingerprint: (root) => calls.call({ kind: 'fingerprint', root }, result<string>),
    close: () => calls.close(),
  };
}

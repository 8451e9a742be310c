import { parentPort } from 'node:worker_threads';
import { readTopology } from '@vfmap/sysfs';
import type { ScanRequest } from './scanner';

// The worker thread of workerScanner: one synchronous full scan per message.
parentPort?.on('message', (msg: { id: number; request: ScanRequest }) => {
  try {
    parentPort?.postMessage({ id: msg.id, topology: readTopology(msg.request) });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});

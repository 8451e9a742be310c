import { parentPort } from 'node:worker_threads';
import { readFingerprint, readTopology } from '@vfmap/sysfs';
import type { WorkerReply, WorkerRequest } from './scanner';

// The worker thread of workerScanner: one synchronous sysfs read per message.
parentPort?.on('message', (msg: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: msg.id, result: msg.kind === 'scan' ? readTopology(msg.request) : readFingerprint(msg.root) };
  } catch (err) {
    reply = { id: msg.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});

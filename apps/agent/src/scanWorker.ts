import { parentPort } from 'node:worker_threads';
import { runScanCall, type WorkerReply, type WorkerRequest } from './scanner';
import { toWorkerError } from './workerError';

// The worker thread of workerScanner: one synchronous sysfs read per message.
parentPort?.on('message', (msg: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: msg.id, result: runScanCall(msg) };
  } catch (err) {
    reply = { id: msg.id, error: toWorkerError(err) };
  }
  parentPort?.postMessage(reply);
});

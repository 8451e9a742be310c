import { parentPort, workerData } from 'node:worker_threads';
import { toWorkerError } from '../workerError';
import { createKernel, type KernelSpec } from './kernelSpec';
import { writeKernelAttribute, type KernelWriteReply, type KernelWriteRequest } from './kernelWriter';

// The worker thread of workerKernelWriter: one blocking sysfs write per message, in order.
const kernel = createKernel(workerData as KernelSpec);

parentPort?.on('message', (msg: KernelWriteRequest) => {
  let reply: KernelWriteReply;
  try {
    writeKernelAttribute(kernel, msg.path, msg.value);
    reply = { id: msg.id };
  } catch (err) {
    reply = { id: msg.id, error: toWorkerError(err) };
  }
  parentPort?.postMessage(reply);
});

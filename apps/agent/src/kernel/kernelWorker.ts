import { parentPort, workerData } from 'node:worker_threads';
import { createKernel, type KernelSpec } from './kernelSpec';
import { toSysfsError, type KernelWriteReply, type KernelWriteRequest } from './kernelWriter';

// The worker thread of workerKernelWriter: one blocking sysfs write per message, in order.
const kernel = createKernel(workerData as KernelSpec);

parentPort?.on('message', (msg: KernelWriteRequest) => {
  let reply: KernelWriteReply;
  try {
    kernel.writeAttribute(msg.path, msg.value);
    reply = { id: msg.id };
  } catch (err) {
    const e = toSysfsError(err, msg.path);
    const code = (e as { code?: unknown }).code;
    reply = { id: msg.id, error: { code: typeof code === 'string' ? code : null, message: e instanceof Error ? e.message : String(e) } };
  }
  parentPort?.postMessage(reply);
});

import { SysfsError } from '@vfmap/sysfs';
import { NoKernelError } from './errors';

/**
 * An error as it crosses a worker thread's boundary. postMessage clones an Error without its
 * class or its own fields, and the problem table (server/problems.ts) maps errors by class: so
 * the typed errors a worker can throw — SysfsError from a sysfs read or write, NoKernelError
 * from `--kernel none` — go as data and are rebuilt as themselves on the other side. Any other
 * error is a bug, and keeps its name, message and the worker's stack for the log.
 */
export type WorkerError =
  | { type: 'SysfsError'; code: string; path: string; message: string; stack?: string }
  | { type: 'NoKernelError'; message: string; stack?: string }
  | { type: 'Error'; name: string; message: string; stack?: string };

export function toWorkerError(err: unknown): WorkerError {
  const stack = err instanceof Error && err.stack ? { stack: err.stack } : {};
  if (err instanceof SysfsError) return { type: 'SysfsError', code: err.code, path: err.path, message: err.message, ...stack };
  if (err instanceof NoKernelError) return { type: 'NoKernelError', message: err.message, ...stack };
  if (err instanceof Error) return { type: 'Error', name: err.name, message: err.message, ...stack };
  return { type: 'Error', name: 'Error', message: String(err) };
}

export function fromWorkerError(e: WorkerError): Error {
  const err = rebuild(e);
  if (e.stack) err.stack = e.stack;
  return err;
}

function rebuild(e: WorkerError): Error {
  switch (e.type) {
    case 'SysfsError':
      return new SysfsError(e.code, e.path, e.message);
    case 'NoKernelError':
      return new NoKernelError(e.message);
    case 'Error': {
      const err = new Error(e.message);
      err.name = e.name;
      return err;
    }
  }
}

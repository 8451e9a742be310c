import { KernelWriteFailed, KernelWriteHung, OperationRefused, PartialNumVfsChange } from './errors';

/** A failed step's reason as the problem's `cause` says it: the error's message, without its full stop. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\.$/, '');
  return String(err);
}

/** The host said no (a kernel or driver refusal), rather than the agent failing. */
export function isRefusal(err: unknown): boolean {
  if (err instanceof KernelWriteFailed || err instanceof PartialNumVfsChange || err instanceof OperationRefused) return true;
  if (err instanceof KernelWriteHung) return false;
  // The driver refusing a VF setting (VfSettingRefused of the VF-settings step) names itself.
  if (err instanceof Error && err.name === 'VfSettingRefused') return true;
  const errno = (err as { errno?: unknown; code?: unknown }).errno ?? (err as { code?: unknown }).code;
  return typeof errno === 'string' && /^E[A-Z]+$/.test(errno);
}

import type { z } from 'zod';

/**
 * A schema failure in one line an operator can act on: where in the file, and what was wrong.
 * Three issues at most — a file of the wrong shape fails everywhere, and the first say enough.
 */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top)';
    // A bad record key (a node name, a VM id) says why only in its nested issues.
    const nested = issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message) : [];
    return `${where}: ${[issue.message, ...nested].join(': ')}`;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

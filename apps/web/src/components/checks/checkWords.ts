import type { Check, CheckStatus } from '@vfmap/model';

/** Worst first: the order a reader wants them in. */
const ORDER: Record<CheckStatus, number> = { fail: 0, warn: 1, unknown: 2, ok: 3 };

export const STATUS_WORD: Record<CheckStatus, string> = { fail: 'fail', warn: 'warn', unknown: 'unknown', ok: 'ok' };

/** The checks worst first, host checks before PF checks within a status, as the agent sent them otherwise. */
export function sortChecks(checks: readonly Check[]): Check[] {
  return checks
    .map((check, i) => ({ check, i }))
    .sort((a, b) => ORDER[a.check.status] - ORDER[b.check.status] || (a.check.scope === b.check.scope ? 0 : a.check.scope === 'host' ? -1 : 1) || a.i - b.i)
    .map(({ check }) => check);
}

/** "1 failing, 2 warnings, 4 ok": the counts of each status present, worst first. */
export function countWords(checks: readonly Check[]): string {
  const counts = new Map<CheckStatus, number>();
  for (const c of checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return (['fail', 'warn', 'unknown', 'ok'] as const)
    .filter((s) => counts.has(s))
    .map((s) => {
      const n = counts.get(s)!;
      return s === 'warn' ? `${n} warning${n === 1 ? '' : 's'}` : s === 'fail' ? `${n} failing` : `${n} ${s}`;
    })
    .join(', ');
}

import type { AuditEntry } from '@vfmap/model';

/** One audit entry as the history lists it: who changed what, from which client, with what result. */
export interface AuditWords {
  who: string;
  client: string;
  what: string;
  result: string;
  /** the agent's detail (why refused or failed, what was done), if any */
  detail: string | null;
}

const VERBS: Record<string, string> = {
  numvfs: 'set the VF count of',
  assign: 'gave',
  release: 'took back',
  vfconfig: 'changed the settings of',
  vfdriver: 'changed the driver of',
  autoprobe: 'changed drivers autoprobe of',
  stablemacs: 'set stable MACs on',
  prepare: 'prepared',
  reapply: 're-applied the kept settings of',
  persist: 'changed what is kept for',
};

function who(entry: AuditEntry): string {
  const p = entry.who.principal;
  const base = p.startsWith('token:') ? `token ${p.slice('token:'.length)}` : p === 'unauthenticated' ? 'someone without a valid token' : `the CLI (${p})`;
  return entry.who.forwardedBy ? `${base}, through ${entry.who.forwardedBy}` : base;
}

function what(entry: AuditEntry): string {
  const r = entry.request;
  const verb = VERBS[entry.operation] ?? entry.operation;
  switch (entry.operation) {
    case 'numvfs': {
      const from = entry.before && 'numVfs' in entry.before ? entry.before.numVfs : null;
      const count = typeof r.count === 'number' ? r.count : null;
      const forced = r.force === true ? ' (forced)' : '';
      return `${verb} ${entry.target}${from !== null ? ` from ${from}` : ''}${count !== null ? ` to ${count}` : ''}${forced}`;
    }
    case 'assign':
      return `${verb} ${entry.target} to VM ${typeof r.vmId === 'string' ? r.vmId : '?'}`;
    case 'release': {
      const holder = entry.before && 'holder' in entry.before ? entry.before.holder : null;
      return `${verb} ${entry.target}${holder ? ` from VM ${holder.vmId} (${holder.vmName})` : ''}`;
    }
    default:
      return `${verb} ${entry.target}`;
  }
}

export function auditWords(entry: AuditEntry): AuditWords {
  return {
    who: who(entry),
    client: entry.who.address ?? 'this host (CLI)',
    what: what(entry),
    result: entry.result,
    detail: entry.detail ?? null,
  };
}

/** Newest first, one entry per id (a page fetched again overlaps the one before). */
export function newestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  const byId = new Map<string, AuditEntry>();
  for (const e of entries) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

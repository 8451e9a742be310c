import type { VmState } from '@vfmap/model';

export interface DomainListEntry {
  uuid: string;
  name: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `virsh list --all --uuid --name`: one "UUID NAME" line per domain (a name may hold spaces). */
export function parseDomainList(text: string): DomainListEntry[] {
  const out: DomainListEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(line);
    if (m && UUID_RE.test(m[1]!)) out.push({ uuid: m[1]!.toLowerCase(), name: m[2]! });
  }
  return out;
}

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/**
 * `virsh domstate` words (C locale) to the model's states. A domain "in shutdown" still runs
 * and holds its devices; "crashed" may or may not (on_crash=preserve keeps the process).
 */
export function vmStateOfDomstate(text: string): VmState {
  switch (text.trim()) {
    case 'running':
    case 'idle':
    case 'blocked':
    case 'in shutdown':
      return 'running';
    case 'paused':
    case 'pmsuspended':
      return 'paused';
    case 'shut off':
      return 'stopped';
    default:
      return 'unknown';
  }
}

/**
 * Splits the stdout of one virsh run that executed several commands, each preceded by
 * `echo <marker>`: returns each command's output, trimmed, or null when its marker is missing.
 * A command that failed (say, the domain vanished meanwhile) leaves an empty section; virsh
 * goes on with the next command.
 */
export function splitBatchOutput(stdout: string, markers: readonly string[]): (string | null)[] {
  const lines = stdout.split('\n');
  const index = new Map<string, number>();
  lines.forEach((line, i) => {
    if (markers.includes(line)) index.set(line, i);
  });
  const positions = markers.map((m) => index.get(m) ?? -1);
  return markers.map((_, k) => {
    const start = positions[k]!;
    if (start < 0) return null;
    const later = positions.filter((p) => p > start);
    const end = later.length > 0 ? Math.min(...later) : lines.length;
    return lines.slice(start + 1, end).join('\n').trim();
  });
}

/**
 * A directory's contents as a list, written by writeEntries(). Paths are relative to the
 * directory; a directory comes before what it holds.
 */
export type Entry =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string; mode: number; content: string | Buffer }
  | { kind: 'link'; path: string; target: string };

export const RO = 0o444;
export const RW = 0o644;
export const WO = 0o200;
export const WO_GROUP = 0o220;
export const RW_ROOT = 0o600;

export const file = (path: string, mode: number, content: string | Buffer): Entry => ({ kind: 'file', path, mode, content });
export const attr = (path: string, mode: number, value: string | number): Entry => file(path, mode, `${value}\n`);
export const dir = (path: string): Entry => ({ kind: 'dir', path });
export const link = (path: string, target: string): Entry => ({ kind: 'link', path, target });

/** power/ of a device (runtime PM attributes; the wakeup ones only where the device can wake). */
export function powerEntries(prefix: string, opts: { wakeup: boolean; activeTime: number; usage: number; kids?: number }): Entry[] {
  const p = (name: string) => `${prefix}power/${name}`;
  const entries: Entry[] = [
    dir(`${prefix}power`),
    attr(p('async'), RW, 'enabled'),
    file(p('autosuspend_delay_ms'), RW, ''),
    attr(p('control'), RW, 'on'),
    attr(p('runtime_active_kids'), RO, opts.kids ?? 0),
    attr(p('runtime_active_time'), RO, opts.activeTime),
    attr(p('runtime_enabled'), RO, 'forbidden'),
    attr(p('runtime_status'), RO, 'active'),
    attr(p('runtime_suspended_time'), RO, 0),
    attr(p('runtime_usage'), RO, opts.usage),
  ];
  if (opts.wakeup) {
    entries.push(attr(p('wakeup'), RW, 'disabled'));
    for (const name of ['abort_count', 'active', 'active_count', 'count', 'expire_count', 'last_time_ms', 'max_time_ms', 'total_time_ms']) {
      entries.push(file(p(`wakeup_${name}`), RO, ''));
    }
  }
  return entries;
}

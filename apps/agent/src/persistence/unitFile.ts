/**
 * systemd's unit-file syntax, as `.link`, `.network`, `.service` and NetworkManager's keyfiles use
 * it: `[Section]` headers, `Key=Value` lines, `#` and `;` comments, a trailing backslash joining the
 * next line. Every entry keeps its line number, so that a finding can point at it.
 */

export interface UnitEntry {
  key: string;
  value: string;
  /** 1-based line of the key in its file. */
  line: number;
}

export interface UnitSection {
  name: string;
  line: number;
  entries: UnitEntry[];
}

export interface UnitFile {
  /** The path on the host (not under a test's root), for messages and plans. */
  path: string;
  sections: UnitSection[];
}

export function parseUnitFile(text: string, path: string): UnitFile {
  const sections: UnitSection[] = [];
  let current: UnitSection | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.replace(/\r$/, '');
    // systemd joins a line ending in a backslash with the next one (with a space).
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = `${line.slice(0, -1)} ${lines[i]!.replace(/\r$/, '')}`;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      current = { name: header[1]!, line: start + 1, entries: [] };
      sections.push(current);
      continue;
    }
    const eq = trimmed.indexOf('=');
    // A key outside any section, or a line without "=", is ignored by systemd (with a warning).
    if (eq <= 0 || !current) continue;
    current.entries.push({ key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim(), line: start + 1 });
  }
  return { path, sections };
}

/** The sections of that name, in file order (a `.link` file may have many `[SR-IOV]` sections). */
export function sectionsNamed(files: readonly UnitFile[], name: string): UnitSection[] {
  return files.flatMap((f) => f.sections.filter((s) => s.name === name));
}

/**
 * The value a key ends with across a file and its drop-ins: the last assignment wins, and an empty
 * assignment resets it to the default (null).
 */
export function lastValue(files: readonly UnitFile[], section: string, key: string): string | null {
  let value: string | null = null;
  for (const s of sectionsNamed(files, section)) {
    for (const e of s.entries) if (e.key === key) value = e.value === '' ? null : e.value;
  }
  return value;
}

import { readdir, readFile, readlink, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseUnitFile, type UnitFile } from './unitFile';

/**
 * Where udev looks for `.link` files, highest priority first (systemd's NETWORK_DIRS; /lib is
 * Debian's split-/usr twin of /usr/lib). A file in an earlier directory hides a file of the same
 * name in a later one: /etc overrides /run, which overrides the vendor's /usr/lib.
 */
export const LINK_DIRS = ['/etc/systemd/network', '/run/systemd/network', '/usr/local/lib/systemd/network', '/usr/lib/systemd/network', '/lib/systemd/network'] as const;

/** One `.link` file as udev sees it: the copy that wins its name, and its drop-ins in the order they apply. */
export interface LinkFile {
  /** The file's name, e.g. `99-default.link`: udev tries the files in the lexical order of these names. */
  name: string;
  /** The winning copy's path on the host. */
  path: string;
  main: UnitFile;
  /** `<name>.d/*.conf` from all the directories (same-named drop-ins overridden the same way), by file name. */
  dropIns: UnitFile[];
  /** Empty, or a symlink to /dev/null: udev skips it (and it hides the same name in later directories). */
  masked: boolean;
  /** Paths of same-named files this one hides (e.g. /usr/lib/systemd/network/99-default.link). */
  overrides: string[];
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** systemd's null_or_empty_path: an empty file, or a symlink to /dev/null. */
async function isMasked(path: string): Promise<boolean> {
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) return (await readlink(path)) === '/dev/null';
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}

/** By name, the highest-priority host path among `dirs` for the files `accept` takes. */
async function winners(root: string, dirs: readonly string[], accept: (name: string) => boolean): Promise<Map<string, string[]>> {
  const byName = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const name of (await listDir(join(root, dir))).filter(accept)) {
      const paths = byName.get(name) ?? [];
      paths.push(`${dir}/${name}`);
      byName.set(name, paths);
    }
  }
  return byName;
}

/** systemd sorts config files by their names with strcmp: plain code-unit order, not locale order. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `.link` files under `root` (a host's `/`, or a test's tree) in the order udev tries them,
 * each with its drop-ins. Unreadable files read as empty: they match nothing, as in udev.
 */
export async function readLinkFiles(root: string): Promise<LinkFile[]> {
  const mains = await winners(root, LINK_DIRS, (n) => n.endsWith('.link'));
  const files: LinkFile[] = [];
  for (const name of [...mains.keys()].sort(byName)) {
    const [path, ...overrides] = mains.get(name)!;
    const masked = await isMasked(join(root, path!));
    const text = masked ? '' : await readFile(join(root, path!), 'utf8').catch(() => '');
    const dropInDirs = LINK_DIRS.map((d) => `${d}/${name}.d`);
    const dropInNames = await winners(root, dropInDirs, (n) => n.endsWith('.conf'));
    const dropIns: UnitFile[] = [];
    for (const dn of [...dropInNames.keys()].sort(byName)) {
      const dp = dropInNames.get(dn)![0]!;
      if (await isMasked(join(root, dp))) continue;
      dropIns.push(parseUnitFile(await readFile(join(root, dp), 'utf8').catch(() => ''), dp));
    }
    files.push({ name, path: path!, main: parseUnitFile(text, path!), dropIns, masked, overrides });
  }
  return files;
}

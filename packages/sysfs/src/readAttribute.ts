import { type Dirent, closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import type { SysfsWarningCode } from '@vfmap/model';
import type { ScanContext } from './scanContext';
import { linkBasename } from './parseAttribute';

/**
 * Lenient reads of one sysfs directory. An attribute that is not there is absent (old kernels,
 * partial captures) and is no warning. One that is there but gone when read means the host changed
 * under the scan: when the whole device is gone the device read is abandoned (ReadAbort), otherwise
 * that field is null and a warning says so.
 */

/** Ends the read of one device: it is left out of the topology, and `warning` says why. */
export class ReadAbort extends Error {
  override readonly name = 'ReadAbort';
  constructor(readonly warning: { code: SysfsWarningCode; message: string; path: string }) {
    super(warning.message);
  }
}

/** errno of a file or directory that is no longer there: removed, or its device unplugged while open. */
function isGone(errno: string): boolean {
  return errno === 'ENOENT' || errno === 'ENODEV' || errno === 'ENOTDIR';
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'EIO';
}

/**
 * A sysfs attribute holds at most one page. Reading into one shared buffer with open/read/close
 * saves readFileSync's fstat and allocation, which counts with ten thousand attributes per scan.
 */
const PAGE = 4096;
const buffer = Buffer.allocUnsafe(PAGE);

/** The text of a file, without surrounding whitespace (sysfs ends every value with a newline). Throws like fs does. */
export function readAttributeText(path: string): string {
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, buffer, 0, PAGE, 0);
  } finally {
    closeSync(fd);
  }
  // More than a page is not a sysfs attribute (a regular file in a fixture tree): read all of it.
  return (n === PAGE ? readFileSync(path, 'utf8') : buffer.toString('utf8', 0, n)).trim();
}

/** Whether `path` names an entry, without following it: a dangling link is there. Never throws. */
function entryExists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

export interface ReadTextOptions {
  /** errnos that mean "no value" for this attribute, not a fault (speed of a down link: EINVAL). */
  quiet?: readonly string[];
}

interface Owner {
  /** The PCI function's directory: when this is gone, so is the device. */
  dir: string;
  /** Its address, for messages. */
  address: string;
}

/**
 * A PCI function's directory is read without listing it: each attribute is opened by name. A
 * listing costs five syscalls (openat, fstat, two getdents64, close) and an object per entry, some
 * fifty entries, for every device; it is made only where the names themselves are wanted (a PF's
 * virtfnN links, the children that may hold netdevs), and from then on the reads follow it.
 *
 * Without a listing, "absent" cannot tell a file that is not there from a device that has gone:
 * an absence leaves the read unconfirmed, the next successful read confirms it, and `finish()`
 * checks the directory once if the read ended unconfirmed. A device is still reported whole or
 * not at all, for one existsSync on the devices whose last reads found nothing.
 */
export class DirectoryReader {
  /** Set when a subdirectory turned out to be gone while its device stays (a netdev removed mid-read). */
  gone = false;
  /** An entry was absent and no read succeeded since: the device may have gone (see `finish`). */
  private unconfirmed = false;

  private constructor(
    private readonly scan: ScanContext,
    /** The directory read. */
    readonly dir: string,
    private readonly owner: Owner,
    /** null: not listed; every name is tried. */
    private entries: ReadonlyMap<string, Dirent> | null,
  ) {}

  /** A PCI function's own directory, not listed (see the class comment). */
  static device(scan: ScanContext, device: Owner): DirectoryReader {
    return new DirectoryReader(scan, device.dir, device, null);
  }

  /** A PCI function's own directory, listed now; when that fails the device is abandoned (ReadAbort). */
  static openDevice(scan: ScanContext, device: Owner): DirectoryReader {
    return DirectoryReader.device(scan, device).list();
  }

  /**
   * A subdirectory read without listing it first, for small directories whose every file is tried
   * anyway (a netdev's address, operstate, speed): a file that is not there is absent, unless the
   * directory itself has gone.
   */
  static unlisted(scan: ScanContext, dir: string, device: Owner): DirectoryReader {
    return new DirectoryReader(scan, dir, device, null);
  }

  /** Lists a subdirectory (net/); one that is gone or unreadable gives a warning and null. */
  static open(scan: ScanContext, dir: string, device: Owner): DirectoryReader | null {
    const reader = new DirectoryReader(scan, dir, device, null);
    return reader.load() ? reader : null;
  }

  /** Lists the device's own directory, once; the reads that follow take what is not listed as absent. */
  list(): this {
    this.load();
    return this;
  }

  /**
   * Lists the directory unless it is listed. When the device's own directory cannot be listed the
   * device is abandoned (ReadAbort); a subdirectory that cannot be listed gives a warning and false.
   */
  private load(): boolean {
    if (this.entries !== null) return true;
    let list: Dirent[];
    try {
      list = readdirSync(this.dir, { withFileTypes: true });
    } catch (err) {
      const errno = errnoOf(err);
      const { address } = this.owner;
      const rel = this.scan.paths.relative(this.dir);
      if (this.dir === this.owner.dir) {
        throw new ReadAbort(
          isGone(errno)
            ? { code: 'vanished', message: `${address} disappeared while it was read (${errno}); left out`, path: rel }
            : { code: 'unreadable', message: `cannot list ${address} (${errno}); left out`, path: rel },
        );
      }
      if (isGone(errno) && !existsSync(this.owner.dir)) throw this.deviceGone(errno);
      this.scan.warn(isGone(errno) ? 'vanished' : 'unreadable', `cannot list ${rel} of ${address} (${errno})`, this.dir);
      return false;
    }
    const entries = new Map<string, Dirent>();
    for (const d of list) entries.set(d.name, d);
    this.entries = entries;
    this.unconfirmed = false;
    return true;
  }

  /** Whether `name` is there: from the listing, else an lstat (a dangling link is there). */
  has(name: string): boolean {
    if (this.entries !== null) return this.entries.has(name);
    const there = entryExists(this.path(name));
    this.unconfirmed = !there;
    return there;
  }

  /** Every name in the directory (lists it). */
  names(): IterableIterator<string> {
    return this.list().entries!.keys();
  }

  /** Real subdirectories (not symlinks to directories, such as `subsystem` or `virtfn0`); lists the directory. */
  subdirectories(): string[] {
    const out: string[] = [];
    for (const d of this.list().entries!.values()) if (d.isDirectory()) out.push(d.name);
    return out;
  }

  path(name: string): string {
    return `${this.dir}/${name}`;
  }

  /** An attribute's text without its trailing newline; null when it is absent or could not be read. */
  text(name: string, options: ReadTextOptions = {}): string | null {
    if (this.entries !== null && !this.entries.has(name)) return null;
    try {
      const text = readAttributeText(this.path(name));
      this.unconfirmed = false;
      return text;
    } catch (err) {
      const errno = errnoOf(err);
      if (options.quiet?.includes(errno)) return null;
      // open follows links: ENOENT is "not there" only when there is no entry (a dangling link is one gone).
      if (errno === 'ENOENT' && this.entries === null && !entryExists(this.path(name))) return this.absent();
      return this.failed(name, errno, 'read');
    }
  }

  /**
   * The text of a file that only saves reading others (uevent): null, and no warning, when it is
   * not there or cannot be read, for the others are read then and say what is wrong. Leaves the
   * read unconfirmed on failure, as the device may have gone.
   */
  shortcutText(name: string): string | null {
    if (this.entries !== null && !this.entries.has(name)) return null;
    try {
      const text = readAttributeText(this.path(name));
      this.unconfirmed = false;
      return text;
    } catch {
      this.unconfirmed = true;
      return null;
    }
  }

  /** An attribute the device cannot be reported without: absent or unreadable abandons the device. */
  requiredText(name: string): string {
    const rel = this.scan.paths.relative(this.path(name));
    const missing = () => new ReadAbort({ code: 'missing-attribute', message: `${this.owner.address} has no ${name}; left out`, path: rel });
    if (this.entries !== null && !this.entries.has(name)) throw missing();
    try {
      const text = readAttributeText(this.path(name));
      this.unconfirmed = false;
      return text;
    } catch (err) {
      const errno = errnoOf(err);
      if (errno === 'ENOENT' && this.entries === null && !entryExists(this.path(name))) {
        throw existsSync(this.owner.dir) ? missing() : this.deviceGone(errno);
      }
      throw new ReadAbort(
        isGone(errno)
          ? { code: 'vanished', message: `${this.owner.address} disappeared while it was read (${errno}); left out`, path: rel }
          : { code: 'unreadable', message: `cannot read ${name} of ${this.owner.address} (${errno}); left out`, path: rel },
      );
    }
  }

  /** The text of a symlink, never resolved: targets may dangle in captures and that is no fault. */
  linkText(name: string): string | null {
    if (this.entries !== null && !this.entries.has(name)) return null;
    try {
      const target = readlinkSync(this.path(name));
      this.unconfirmed = false;
      return target;
    } catch (err) {
      const errno = errnoOf(err);
      if (errno === 'EINVAL') {
        this.unconfirmed = false;
        this.scan.warn('not-a-link', `${name} of ${this.owner.address} is not a symlink`, this.path(name));
        return null;
      }
      // readlink does not follow the last component: ENOENT means there is no entry of that name.
      if (errno === 'ENOENT' && this.entries === null) return this.absent();
      return this.failed(name, errno, 'readlink');
    }
  }

  /** The last component of a symlink's text: `driver` → `nvme`, `physfn` → `0000:05:00.0`. */
  linkName(name: string): string | null {
    const target = this.linkText(name);
    return target === null ? null : linkBasename(target);
  }

  /** Ends a device's read: if its last reads found nothing, the device must still be there (else ReadAbort). */
  finish(): void {
    if (this.unconfirmed && !existsSync(this.owner.dir)) throw this.deviceGone('ENOENT');
  }

  /** An entry that is not there: absent, unless the directory went. */
  private absent(): null {
    if (this.dir === this.owner.dir) {
      this.unconfirmed = true;
      return null;
    }
    // A file of a subdirectory (a netdev's): decided now, the caller leaves out the netdev that went.
    if (existsSync(this.dir)) return null;
    if (existsSync(this.owner.dir)) {
      this.gone = true;
      return null;
    }
    throw this.deviceGone('ENOENT');
  }

  private deviceGone(errno: string): ReadAbort {
    const { address, dir } = this.owner;
    return new ReadAbort({ code: 'vanished', message: `${address} disappeared while it was read (${errno}); left out`, path: this.scan.paths.relative(dir) });
  }

  private failed(name: string, errno: string, what: string): null {
    const path = this.path(name);
    const { address } = this.owner;
    if (isGone(errno)) {
      if (!existsSync(this.owner.dir)) {
        throw new ReadAbort({ code: 'vanished', message: `${address} disappeared while it was read (${errno}); left out`, path: this.scan.paths.relative(path) });
      }
      this.scan.warn('vanished', `${name} of ${address} disappeared while it was read (${errno}); reported as unknown`, path);
      return null;
    }
    this.scan.warn('unreadable', `cannot ${what} ${name} of ${address} (${errno}); reported as unknown`, path);
    return null;
  }
}

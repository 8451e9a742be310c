import { type Dirent, closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import type { ScanContext, WarningCode } from './scanContext';
import { linkBasename } from './parseAttribute';

/**
 * Lenient reads of one sysfs directory. The directory is listed once, and only what the listing
 * holds is read: an attribute that is not listed is absent (old kernels, partial captures) and is
 * no warning. An entry that was listed but is gone when read means the host changed under the scan:
 * when the whole device is gone the device read is abandoned (ReadAbort), otherwise that field is
 * null and a warning says so.
 */

/** Ends the read of one device: it is left out of the topology, and `warning` says why. */
export class ReadAbort extends Error {
  override readonly name = 'ReadAbort';
  constructor(readonly warning: { code: WarningCode; message: string; path: string }) {
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

export interface ReadTextOptions {
  /** errnos that mean "no value" for this attribute, not a fault (speed of a down link: EINVAL). */
  quiet?: readonly string[];
}

export class DirectoryReader {
  /** Set when an unlisted directory turned out to be gone while its device stays (a netdev removed mid-read). */
  gone = false;

  private constructor(
    private readonly scan: ScanContext,
    /** The directory read. */
    readonly dir: string,
    /** The PCI function it belongs to: when this is gone, so is the device. */
    private readonly deviceDir: string,
    /** The device's address, for messages. */
    private readonly address: string,
    /** null: not listed (see `unlisted`). */
    private readonly entries: ReadonlyMap<string, Dirent> | null,
  ) {}

  /**
   * A directory read without listing it first, for small directories whose every file is tried
   * anyway (a netdev's address, operstate, speed): a file that is not there is absent, unless the
   * directory itself has gone.
   */
  static unlisted(scan: ScanContext, dir: string, device: { dir: string; address: string }): DirectoryReader {
    return new DirectoryReader(scan, dir, device.dir, device.address, null);
  }

  /** Lists a PCI function's own directory; when that fails the device is abandoned (ReadAbort). */
  static openDevice(scan: ScanContext, device: { dir: string; address: string }): DirectoryReader {
    return DirectoryReader.open(scan, device.dir, device)!;
  }

  /**
   * Lists `dir`. When `dir` is the device's own directory, a failure abandons the device (ReadAbort).
   * A subdirectory (net/, net/eth0/) that is gone or unreadable gives a warning and null.
   */
  static open(scan: ScanContext, dir: string, device: { dir: string; address: string }): DirectoryReader | null {
    let list: Dirent[];
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      const errno = errnoOf(err);
      const rel = scan.paths.relative(dir);
      if (dir === device.dir) {
        throw new ReadAbort(
          isGone(errno)
            ? { code: 'vanished', message: `${device.address} disappeared while it was read (${errno}); left out`, path: rel }
            : { code: 'unreadable', message: `cannot list ${device.address} (${errno}); left out`, path: rel },
        );
      }
      if (isGone(errno) && !existsSync(device.dir)) {
        throw new ReadAbort({ code: 'vanished', message: `${device.address} disappeared while it was read (${errno}); left out`, path: rel });
      }
      scan.warn(isGone(errno) ? 'vanished' : 'unreadable', `cannot list ${rel} of ${device.address} (${errno})`, dir);
      return null;
    }
    return new DirectoryReader(scan, dir, device.dir, device.address, new Map(list.map((d) => [d.name, d])));
  }

  /** Whether `name` was listed; always true for an unlisted directory. */
  has(name: string): boolean {
    return this.entries === null || this.entries.has(name);
  }

  /** Every listed name. */
  names(): IterableIterator<string> {
    return (this.entries ?? new Map<string, Dirent>()).keys();
  }

  /** Listed real subdirectories (not symlinks to directories, such as `subsystem` or `virtfn0`). */
  subdirectories(): string[] {
    const out: string[] = [];
    for (const d of this.entries?.values() ?? []) if (d.isDirectory()) out.push(d.name);
    return out;
  }

  path(name: string): string {
    return `${this.dir}/${name}`;
  }

  /** An attribute's text without its trailing newline; null when it is not listed or could not be read. */
  text(name: string, options: ReadTextOptions = {}): string | null {
    if (!this.has(name)) return null;
    try {
      return readAttributeText(this.path(name));
    } catch (err) {
      const errno = errnoOf(err);
      if (options.quiet?.includes(errno)) return null;
      if (this.entries === null && errno === 'ENOENT') {
        // Unlisted: a missing file is absent, unless the whole directory went (then say so once, in the caller).
        if (existsSync(this.dir)) return null;
        if (existsSync(this.deviceDir)) {
          this.gone = true;
          return null;
        }
      }
      return this.failed(name, errno, 'read');
    }
  }

  /** An attribute the device cannot be reported without: absent or unreadable abandons the device. */
  requiredText(name: string): string {
    const rel = this.scan.paths.relative(this.path(name));
    if (!this.has(name)) {
      throw new ReadAbort({ code: 'missing-attribute', message: `${this.address} has no ${name}; left out`, path: rel });
    }
    try {
      return readAttributeText(this.path(name));
    } catch (err) {
      const errno = errnoOf(err);
      throw new ReadAbort(
        isGone(errno)
          ? { code: 'vanished', message: `${this.address} disappeared while it was read (${errno}); left out`, path: rel }
          : { code: 'unreadable', message: `cannot read ${name} of ${this.address} (${errno}); left out`, path: rel },
      );
    }
  }

  /** The text of a listed symlink, never resolved: targets may dangle in captures and that is no fault. */
  linkText(name: string): string | null {
    if (!this.has(name)) return null;
    try {
      return readlinkSync(this.path(name));
    } catch (err) {
      const errno = errnoOf(err);
      if (errno === 'EINVAL') {
        this.scan.warn('not-a-link', `${name} of ${this.address} is not a symlink`, this.path(name));
        return null;
      }
      return this.failed(name, errno, 'readlink');
    }
  }

  /** The last component of a listed symlink's text: `driver` → `nvme`, `physfn` → `0000:05:00.0`. */
  linkName(name: string): string | null {
    const target = this.linkText(name);
    return target === null ? null : linkBasename(target);
  }

  private failed(name: string, errno: string, what: string): null {
    const path = this.path(name);
    if (isGone(errno)) {
      if (!existsSync(this.deviceDir)) {
        throw new ReadAbort({
          code: 'vanished',
          message: `${this.address} disappeared while it was read (${errno}); left out`,
          path: this.scan.paths.relative(path),
        });
      }
      this.scan.warn('vanished', `${name} of ${this.address} disappeared while it was read (${errno}); reported as unknown`, path);
      return null;
    }
    this.scan.warn('unreadable', `cannot ${what} ${name} of ${this.address} (${errno}); reported as unknown`, path);
    return null;
  }
}

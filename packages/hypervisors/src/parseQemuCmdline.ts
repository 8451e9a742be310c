import { normalizePvePciId } from './pvePciId';

export interface QemuCmdline {
  /** The `-pidfile` argument, as written (an absolute path on the host). */
  pidfile: string | null;
  /** The guest name of `-name` (`-name web,debug-threads=on`, libvirt's `-name guest=web,...`). */
  name: string | null;
  /** PCI addresses of `-device vfio-pci` arguments: `host=` (with or without the domain) or `sysfsdev=`. */
  hosts: string[];
}

/**
 * Whether argv[0] is a QEMU: Proxmox starts `/usr/bin/kvm`, libvirt and everyone else
 * `qemu-system-<arch>` (or the `qemu-kvm` of some distributions).
 */
export function isQemuArgv0(argv0: string): boolean {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base === 'kvm' || base.startsWith('qemu-');
}

/** Splits /proc/<pid>/cmdline: arguments end in NUL (the last one too). */
export function splitCmdline(raw: string): string[] {
  const parts = raw.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** Reads the arguments vfmap needs from a QEMU command line; null when argv[0] is not a QEMU. */
export function parseQemuCmdline(argv: readonly string[]): QemuCmdline | null {
  if (argv.length === 0 || !isQemuArgv0(argv[0]!)) return null;
  let pidfile: string | null = null;
  let name: string | null = null;
  const hosts: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    // QEMU takes `-opt` and `--opt` alike.
    const opt = argv[i]!.replace(/^--/, '-');
    const value = argv[i + 1];
    if (value === undefined) break;
    if (opt === '-pidfile') pidfile = value;
    else if (opt === '-name') name = guestName(value);
    else if (opt === '-device') {
      const host = vfioHost(value);
      if (host) hosts.push(host);
    } else continue;
    i++;
  }
  return { pidfile, name, hosts };
}

function guestName(value: string): string | null {
  const first = value.split(',')[0]!;
  const named = value.split(',').find((p) => p.startsWith('guest='));
  const name = named ? named.slice('guest='.length) : first.includes('=') ? null : first;
  return name === null || name === '' ? null : name;
}

/** `vfio-pci,host=01:00.1,id=hostpci0`, or QEMU's JSON form `{"driver":"vfio-pci","host":"..."}`. */
function vfioHost(value: string): string | null {
  let props: Record<string, string> = {};
  if (value.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object') {
        props = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
      }
    } catch {
      return null;
    }
  } else {
    const [driver, ...rest] = value.split(',');
    props = { driver: driver ?? '', ...Object.fromEntries(rest.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) };
  }
  if (props.driver !== 'vfio-pci') return null;
  if (props.host) return normalizePvePciId(props.host);
  if (props.sysfsdev) return normalizePvePciId(props.sysfsdev.replace(/\/+$/, '').split('/').at(-1) ?? '');
  return null;
}

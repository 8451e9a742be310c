import { execFile } from 'node:child_process';

/** What `ip -j -d link show dev <ifname>` printed. */
export interface IpLinkOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs `ip -j -d link show dev <ifname>`, or something that prints exactly what it would (the
 * simulated kernel's reader in @vfmap/simhost): how the agent reads a PF's VF settings. Rejects
 * with an Error whose message says why nothing could be read.
 */
export type IpLinkShow = (ifname: string) => Promise<IpLinkOutput>;

export interface IpLinkShowOptions {
  /** The `ip` program (default: `ip` on PATH). */
  ip?: string;
  /** Kill it after this long (default 5 s: it answers in milliseconds, even for 64 VFs). */
  timeoutMs?: number;
}

/** Far more than one PF's link with hundreds of VFs prints (about 300 bytes a VF). */
const MAX_OUTPUT = 8 * 1024 * 1024;

/**
 * The real host's reader: `ip` through execFile with an argument array (never a shell: an
 * interface name cannot become syntax; `dev` makes it a name even if it looked like a keyword),
 * in the C locale, killed after a timeout. Reading netlink needs no privilege.
 */
export function ipLinkShow(options: IpLinkShowOptions = {}): IpLinkShow {
  const ip = options.ip ?? 'ip';
  const timeout = options.timeoutMs ?? 5000;
  return (ifname) =>
    new Promise((resolve, reject) => {
      const args = ['-j', '-d', 'link', 'show', 'dev', ifname];
      const shown = `${ip} ${args.join(' ')}`;
      execFile(ip, args, { timeout, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } }, (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number | null };
        const said = firstLine(stderr);
        if (e.code === 'ENOENT') reject(new Error(`${ip} is not installed or not on PATH (iproute2), so VF settings cannot be read`));
        else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') reject(new Error(`${shown} printed more than ${MAX_OUTPUT} bytes and was stopped`));
        else if (e.killed) reject(new Error(`${shown} did not finish in ${timeout} ms and was killed`));
        else reject(new Error(`${shown} failed${typeof e.code === 'number' ? ` (exit status ${e.code})` : ''}${said ? `: ${said}` : ''}`));
      });
    });
}

/** The first line `ip` wrote to stderr (`Device "eth9" does not exist.`), printable and short. */
function firstLine(stderr: string): string {
  const line = (stderr.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { HypervisorError } from './hypervisor';

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Kill the command after this long. Default 60 s: a live hostdev detach waits for the guest. */
  timeoutMs?: number;
  /** Stop the command once its stdout passes this many bytes (default 4 MiB: `qm list` of a thousand VMs is about 100 kB). */
  maxOutputBytes?: number;
}

/** Runs one command; what the adapters call, and what tests can replace. */
export type RunCommand = (command: readonly string[], options?: RunOptions) => Promise<CommandOutput>;

export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** stderr is only ever shown: its first 64 kB say what went wrong. */
const MAX_STDERR_BYTES = 64 * 1024;

/**
 * Runs `command[0]` with the rest as its arguments — spawn, never a shell, so a VM name or an
 * address cannot become shell syntax. Output is read in the C locale: virsh translates its state
 * words ("shut off") and messages otherwise. The command runs in its own process group, so a
 * timeout kills what it started too (a grandchild holding stdout open cannot keep the call
 * waiting); stdout is kept up to `maxOutputBytes` and the command killed past it, stderr cut at
 * 64 kB, so nothing it prints is buffered without bound. A failure becomes a HypervisorError that
 * carries the command, its exit status and its stderr.
 */
export const runCommand: RunCommand = (command, options = {}) => {
  const [file, ...args] = command;
  if (file === undefined) return Promise.reject(new TypeError('runCommand: empty command'));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxOutput = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    const stdout = new CappedBuffer(maxOutput);
    const stderr = new CappedBuffer(MAX_STDERR_BYTES);
    let stopped: 'timeout' | 'output' | null = null;
    let settled = false;

    const stop = (why: 'timeout' | 'output') => {
      if (stopped) return;
      stopped = why;
      killGroup(child);
      // The group is gone; a process that left it must not hold the call open through our pipes.
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };

    child.stdout.on('data', (chunk: Buffer) => {
      if (!stdout.push(chunk)) stop('output');
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(spawnError(command, err))));
    child.on('close', (code, signal) => {
      const err = stderr.text();
      finish(() => {
        if (stopped === 'timeout') reject(new HypervisorError(`${showCommand(command)} did not finish in time (${timeoutMs} ms) and was killed`, { code: 'timeout', command, stderr: err }));
        else if (stopped === 'output') reject(tooMuchOutput(command, maxOutput, err));
        else if (code === 0) resolve({ stdout: stdout.text(), stderr: err });
        else reject(exitError(command, code, signal, err));
      });
    });
  });
};

/** Kills the command's whole process group (it leads one: spawned detached). */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Keeps at most `max` bytes; push() says whether the chunk fitted. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): boolean {
    const room = this.max - this.size;
    if (room <= 0) return chunk.length === 0;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(kept);
    this.size += kept.length;
    return kept.length === chunk.length;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

function spawnError(command: readonly string[], error: NodeJS.ErrnoException): HypervisorError {
  const shown = showCommand(command);
  if (error.code === 'ENOENT') {
    return new HypervisorError(`${command[0]} is not installed or not on PATH (tried to run: ${shown})`, { code: 'command-missing', command });
  }
  return new HypervisorError(`${shown} could not run: ${error.message}`, { code: 'command-failed', command });
}

function tooMuchOutput(command: readonly string[], max: number, stderr: string): HypervisorError {
  return new HypervisorError(`${showCommand(command)} printed more than ${formatBytes(max)} and was stopped; that is not what it prints when it works`, {
    code: 'command-failed',
    command,
    stderr,
  });
}

function exitError(command: readonly string[], code: number | null, signal: NodeJS.Signals | null, stderr: string): HypervisorError {
  const shown = showCommand(command);
  const reason = summarize(stderr);
  const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `failed (exit status ${code})`;
  return new HypervisorError(`${shown} ${how}${reason ? `: ${reason}` : ''}`, { code: 'command-failed', command, exitStatus: code, stderr });
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.round(n / 1024)} kB`;
}

/**
 * virsh writes "error: Failed to start domain 'x'" then "error: <the cause>": keep both, in one
 * line. Control characters become "?" and the line stops at 1000 characters: a tool that prints
 * binary or a flood to stderr still makes a readable message.
 */
export function summarize(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim().replace(/^error:\s*/, ''))
    .filter((l) => l !== '')
    .join(': ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return line.length > 1000 ? `${line.slice(0, 1000)}…` : line;
}

/** The command as a reader would type it (quoting only where needed); for messages only. */
export function showCommand(command: readonly string[]): string {
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

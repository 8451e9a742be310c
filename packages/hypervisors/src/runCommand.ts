import { execFile, type ExecFileException } from 'node:child_process';
import { HypervisorError } from './hypervisor';

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Kill the command after this long. Default 60 s: a live hostdev detach waits for the guest. */
  timeoutMs?: number;
}

/** Runs one command; what the adapters call, and what tests can replace. */
export type RunCommand = (command: readonly string[], options?: RunOptions) => Promise<CommandOutput>;

/**
 * Runs `command[0]` with the rest as its arguments — execFile, never a shell, so a VM name
 * or an address cannot become shell syntax. Output is read in the C locale: virsh translates
 * its state words ("shut off") and messages otherwise. A failure becomes a HypervisorError
 * that carries the command, its exit status and its stderr.
 */
export const runCommand: RunCommand = (command, options = {}) => {
  const [file, ...args] = command;
  if (file === undefined) return Promise.reject(new TypeError('runCommand: empty command'));
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        reject(commandError(command, error, stderr));
      },
    );
  });
};

function commandError(command: readonly string[], error: ExecFileException, stderr: string): HypervisorError {
  const shown = showCommand(command);
  if (error.code === 'ENOENT') {
    return new HypervisorError(`${command[0]} is not installed or not on PATH (tried to run: ${shown})`, { code: 'command-missing', command, stderr });
  }
  if (error.killed && error.signal === 'SIGKILL') {
    return new HypervisorError(`${shown} did not finish in time and was killed`, { code: 'timeout', command, stderr });
  }
  if (typeof error.code === 'number') {
    const reason = summarize(stderr);
    return new HypervisorError(`${shown} failed (exit status ${error.code})${reason ? `: ${reason}` : ''}`, {
      code: 'command-failed',
      command,
      exitStatus: error.code,
      stderr,
    });
  }
  return new HypervisorError(`${shown} could not run: ${error.message}`, { code: 'command-failed', command, stderr });
}

/** virsh writes "error: Failed to start domain 'x'" then "error: <the cause>": keep both, in one line. */
export function summarize(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trim().replace(/^error:\s*/, ''))
    .filter((line) => line !== '')
    .join(': ');
}

/** The command as a reader would type it (quoting only where needed); for messages only. */
export function showCommand(command: readonly string[]): string {
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

import { ConfigError } from './configFlags';

/**
 * Ends a CLI command: its exit code (a negative one keeps the process running: an agent), or its
 * failure on stderr, with 2 for a usage error and 1 for any other.
 */
export function exitWith(run: Promise<number>): void {
  // `vfmap scan | head`: a reader that stops early is no failure; without this Node dies with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  run.then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`vfmap: ${err.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`vfmap: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, lchownSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Logger } from '../logger';
import { HelperRefused } from './helperErrors';
import type { HelperResources } from './helperResources';
import { serveHelperConnection } from './helperService';
import type { SystemUser } from './systemUser';

export interface SplitAgentOptions {
  /** The HTTP side's command line after `vfmap http-side`: `agent …` or `demo …`. */
  childArgs: string[];
  /** The user the HTTP side becomes; null when this process is not root (it keeps this uid: the demo's split mode for a user). */
  user: SystemUser | null;
  /** Made and handed to the HTTP side's user (token, audit log, desired counts, certificate); null with --read-only. */
  stateDir: string | null;
  resources: HelperResources;
  logger: Logger;
}

export interface SplitAgent {
  child: ChildProcess;
  /** The HTTP side's exit code (a signal counts as 1). */
  exited: Promise<number>;
  /** Stops the HTTP side (SIGTERM), then the helper's resources. */
  close(): Promise<void>;
}

/** The fd the HTTP side finds its end of the socketpair on. */
export const HELPER_FD = 3;

/**
 * The split agent's root side, as pvedaemon is to pveproxy: this process stays root and does the
 * privileged steps; it starts the HTTP side (this same program, `vfmap http-side`) with a Unix
 * socketpair on fd 3 — libuv makes a stdio 'pipe' with socketpair(2) — so the one peer of the
 * helper's socket is that child, known by construction: no path, nothing another process can
 * connect to. The child becomes --user before it reads a request (dropPrivileges.ts); before
 * running each message the helper checks in /proc/<child>/status that it did.
 */
export function startSplitAgent(options: SplitAgentOptions): SplitAgent {
  const { user, logger, resources } = options;
  if (options.stateDir && user) handOverStateDir(options.stateDir, user);
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'http-side', ...options.childArgs], {
    stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
  });
  const channel = child.stdio[HELPER_FD] as Socket;
  const expectedUid = user ? user.uid : process.getuid!();
  serveHelperConnection(channel, {
    checks: resources.checks,
    steps: resources.steps,
    logger,
    admit: async () => {
      const uid = await uidOf(child.pid);
      if (uid !== expectedUid) throw new HelperRefused('peer-refused', `the HTTP side (pid ${child.pid}) runs as uid ${uid ?? 'unknown'}, not ${expectedUid}; refused`);
    },
  });
  logger.info({ pid: child.pid, user: user?.name ?? null, uid: expectedUid }, 'started the HTTP side');
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  let closing: Promise<void> | null = null;
  return {
    child,
    exited,
    close() {
      closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        channel.destroy();
        await resources.close();
      })();
      return closing;
    },
  };
}

/** The real uid of a process when its four uids (real, effective, saved, filesystem) agree; null otherwise. */
export async function uidOf(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(status);
  if (!m) return null;
  const uids = m.slice(1).map(Number);
  return uids.every((u) => u === uids[0]) ? uids[0]! : null;
}

/**
 * The state directory belongs to the HTTP side, which writes it: made 0700 if missing, then it
 * and what is directly in it (an agent that ran as root before left root's files there) given to
 * the user. lchown: a link placed there is not followed.
 */
export function handOverStateDir(dir: string, user: SystemUser): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownSync(dir, user.uid, user.gid);
  for (const name of readdirSync(dir)) lchownSync(join(dir, name), user.uid, user.gid);
}

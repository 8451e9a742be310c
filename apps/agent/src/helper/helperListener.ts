import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { toHelperFailure, HelperRefused } from './helperErrors';
import { serveHelperConnection, type HelperServiceOptions } from './helperService';
import { writeLine } from './lineChannel';
import { peerCredentials, type PeerCredentials } from './peerCredentials';
import type { SystemUser } from './systemUser';

export interface HelperListenerOptions extends HelperServiceOptions {
  path: string;
  /** The HTTP side's user: owns the socket and is, with root, the only peer served. */
  user: SystemUser;
  /** The socket file's mode; 0600 (only its owner, and root, may connect). */
  mode?: number;
  /** How a peer is identified (default: sock_diag through `ss`, peerCredentials.ts). */
  identify?: (socket: Socket) => Promise<PeerCredentials | null>;
}

export interface HelperListener {
  server: Server;
  close(): Promise<void>;
}

/**
 * The helper's socket as a service of its own (`vfmap helper`): a path socket, made with mode
 * 0600 (umask while it is created, so it never exists with more) and owned by the HTTP side's
 * user. Two checks, each enough alone: the kernel refuses a connect(2) without write permission on
 * the socket file, and each accepted connection's peer must run as that user or as root
 * (peerCredentials.ts), or is answered with a `peer-refused` failure and closed.
 */
export async function listenHelper(options: HelperListenerOptions): Promise<HelperListener> {
  const { path, user, logger } = options;
  removeStaleSocket(path);
  const identify = options.identify ?? ((s: Socket) => peerCredentials(s));
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    identify(socket).then(
      (peer) => {
        if (!peer || (peer.uid !== user.uid && peer.uid !== 0)) {
          logger.warn({ peer }, `helper refused a connection: the peer is not ${user.name} (uid ${user.uid}) or root`);
          writeLine(socket, { id: 0, ok: false, error: toHelperFailure(new HelperRefused('peer-refused', peer ? `uid ${peer.uid} may not use the helper; only ${user.name} and root may` : 'the peer could not be identified')) });
          // Flowing with no reader: what it sent is dropped, and its close is seen (a paused socket would linger and hold server.close).
          socket.resume();
          socket.end();
          return;
        }
        logger.info({ peer }, 'helper accepted a connection');
        serveHelperConnection(socket, options);
        socket.resume();
      },
      (err: unknown) => {
        logger.warn({ err }, 'helper could not identify a peer');
        socket.destroy();
      },
    );
  });
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(previous);
  }
  const mode = options.mode ?? 0o600;
  chownSync(path, user.uid, user.gid);
  chmodSync(path, mode);
  logger.info({ path, owner: user.name, mode: mode.toString(8) }, 'helper listening');
  return {
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A socket file left by a helper that was killed; anything else at that path is not ours to remove. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // nothing there
  }
}

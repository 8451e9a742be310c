import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperReply } from '@vfmap/model';
import { generateHost, profiles } from '@vfmap/simhost';
import { helperClient, type HelperClient } from '../helper/helperClient';
import { listenHelper } from '../helper/helperListener';
import { helperResources } from '../helper/helperResources';
import { createLogger } from '../logger';
import { tempDir } from './simAgent';

/**
 * The root helper as `vfmap helper` runs it — on a path socket, acting on a generated demo host's
 * tree with the simulated kernel — and both ends a test talks to it through: the client's steps, as
 * the split agent calls them, and raw lines, as a hostile HTTP side could send them.
 */
export interface HelperOverSocket {
  /** The directory that stands for `/` on the simulated host. */
  tree: string;
  client: HelperClient;
  /** One raw line to the helper; its reply. */
  exchange(line: string): Promise<HelperReply>;
  close(): Promise<void>;
}

export async function startHelperOverSocket(name: string): Promise<HelperOverSocket> {
  const logger = createLogger('silent');
  const tree = tempDir(`vfmap-helper-${name}-`);
  generateHost(tree, profiles.demo!);
  const dir = mkdtempSync(join(tmpdir(), `vfmap-helper-${name}-sock-`));
  const socketPath = join(dir, 'helper.sock');
  const resources = helperResources({ root: tree, kernel: 'simulated', hypervisor: 'simulated', writeWorker: false }, logger);
  const user = { name: 'self', uid: process.getuid!(), gid: process.getgid!() };
  const listener = await listenHelper({ path: socketPath, user, checks: resources.checks, steps: resources.steps, logger });
  const client = helperClient({ connect: () => createConnection(socketPath), reconnect: true });
  return {
    tree,
    client,
    exchange: (line) =>
      new Promise((resolve, reject) => {
        const socket = createConnection(socketPath);
        let buffer = '';
        socket.on('error', reject);
        socket.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const nl = buffer.indexOf('\n');
          if (nl === -1) return;
          socket.destroy();
          resolve(HelperReply.parse(JSON.parse(buffer.slice(0, nl))));
        });
        socket.on('connect', () => socket.write(`${line}\n`));
      }),
    async close() {
      await client.close();
      await listener.close();
      await resources.close();
      rmSync(tree, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperReply, type DesiredPfState } from '@vfmap/model';
import { generateHost, profiles } from '@vfmap/simhost';
import { createLogger } from '../logger';
import { DEMO, tempDir } from '../testing/simAgent';
import { helperClient, type HelperClient } from './helperClient';
import { listenHelper, type HelperListener } from './helperListener';
import { helperResources, type HelperResources } from './helperResources';
import type { SystemUser } from './systemUser';

// The root helper's writePersistence over its socket, on a generated demo host's tree: the HTTP
// side sends a PF and its desired state, never a path or a file's text; the helper plans the file
// itself and writes only vfmap's own files under the tree's /etc/systemd/network.
let tree: string;
let dir: string;
let resources: HelperResources;
let listener: HelperListener;
let client: HelperClient;
let socketPath: string;
const self: SystemUser = { name: 'self', uid: process.getuid!(), gid: process.getgid!() };
const logger = createLogger('silent');

beforeAll(async () => {
  tree = tempDir('vfmap-helper-persist-');
  generateHost(tree, profiles.demo!);
  dir = mkdtempSync(join(tmpdir(), 'vfmap-helper-persist-sock-'));
  socketPath = join(dir, 'helper.sock');
  resources = helperResources({ root: tree, kernel: 'simulated', hypervisor: 'simulated', writeWorker: false }, logger);
  listener = await listenHelper({ path: socketPath, user: self, checks: resources.checks, steps: resources.steps, logger });
  client = helperClient({ connect: () => createConnection(socketPath), reconnect: true });
});
afterAll(async () => {
  await client.close();
  await listener.close();
  await resources.close();
  rmSync(tree, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const desired = (count: number, vfs: DesiredPfState['vfs'] = []): DesiredPfState => ({ count, vendorId: '8086', deviceId: '1572', setAt: '2026-12-06T10:00:00.000Z', stableMacs: false, driversAutoprobe: null, vfs });

async function exchange(line: string): Promise<HelperReply> {
  const socket = createConnection(socketPath);
  return new Promise((resolve, reject) => {
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
  });
}

function refusalOf(reply: HelperReply): string {
  if (reply.ok || reply.error.type !== 'HelperRefused') throw new Error(`not a refusal: ${JSON.stringify(reply)}`);
  return reply.error.reason;
}

describe('the helper\'s writePersistence', () => {
  it('writes the file it plans itself under the root\'s /etc/systemd/network, and removes it for nothing desired', async () => {
    const outcome = await client.steps.writePersistence(DEMO.x710p1, desired(4, [{ index: 0, settings: { vlan: 20, trust: true }, driver: null }]));
    expect(outcome).toMatchObject({ mechanism: 'link-file', written: true, initramfs: true });
    expect(outcome.path).toMatch(/^\/etc\/systemd\/network\/70-vfmap-.+\.link$/);
    const text = readFileSync(join(tree, outcome.path!), 'utf8');
    expect(text).toContain('SR-IOVVirtualFunctions=4\n\n[SR-IOV]\nVirtualFunction=0\nVLANId=20\nTrust=yes\n');

    const undo = await client.steps.writePersistence(DEMO.x710p1, null);
    expect(undo).toMatchObject({ mechanism: 'none', removed: [outcome.path] });
    expect(existsSync(join(tree, outcome.path!))).toBe(false);
  });

  it('refuses a message that names a path or carries a file\'s text', async () => {
    const reply = await exchange(JSON.stringify({ id: 1, op: 'writePersistence', pf: DEMO.x710p1, desired: desired(2), path: '/etc/systemd/network/10-evil.link' }));
    expect(refusalOf(reply)).toBe('invalid-message');
  });

  it('refuses a MAC that would add a line to the file, and a count beyond sriov_totalvfs', async () => {
    const line = desired(1, [{ index: 0, settings: { mac: '02:00:00:00:00:01\n[Link]\nName=evil' }, driver: null }]);
    expect(refusalOf(await exchange(JSON.stringify({ id: 2, op: 'writePersistence', pf: DEMO.x710p1, desired: line })))).toBe('invalid-message');
    expect(refusalOf(await exchange(JSON.stringify({ id: 3, op: 'writePersistence', pf: DEMO.x710p1, desired: desired(65) })))).toBe('count-out-of-range');
    expect(refusalOf(await exchange(JSON.stringify({ id: 4, op: 'writePersistence', pf: '../../etc', desired: null })))).toBe('bad-address');
    expect(existsSync(join(tree, 'etc/systemd/network/10-evil.link'))).toBe(false);
  });
});

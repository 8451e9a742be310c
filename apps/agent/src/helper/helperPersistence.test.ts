import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperReply, type DesiredPfState } from '@vfmap/model';
import { DEMO } from '../testing/simAgent';
import { startHelperOverSocket, type HelperOverSocket } from '../testing/helperOverSocket';
import type { HelperClient } from './helperClient';

// The root helper's writePersistence over its socket, on a generated demo host's tree: the HTTP
// side sends a PF and its desired state, never a path or a file's text; the helper plans the file
// itself and writes only vfmap's own files under the tree's /etc/systemd/network.
let helper: HelperOverSocket;
let tree: string;
let client: HelperClient;
beforeAll(async () => {
  helper = await startHelperOverSocket('persist');
  ({ tree, client } = helper);
});
afterAll(() => helper.close());

const desired = (count: number, vfs: DesiredPfState['vfs'] = []): DesiredPfState => ({ count, vendorId: '8086', deviceId: '1572', setAt: '2026-12-06T10:00:00.000Z', stableMacs: false, driversAutoprobe: null, vfs });

const exchange = (line: string): Promise<HelperReply> => helper.exchange(line);

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

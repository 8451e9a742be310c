import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFixture, fixture, removeFixture } from '../../../../packages/sysfs/test/extractFixture';
import { DEBIAN_DEFAULT_LINK } from './hostTree';
import { planPersistence } from './planPersistence';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string;
beforeAll(() => {
  // The real igb guest's sysfs, with a Debian /usr/lib/systemd/network and an old sysfs.conf beside it.
  root = extractFixture(fixture('realkernel-igb', 'igb-baseline'));
  for (const [path, text] of Object.entries({
    '/usr/lib/systemd/network/99-default.link': DEBIAN_DEFAULT_LINK,
    '/usr/lib/systemd/network/73-usb-net-by-mac.link': '[Match]\nPath=*-usb-*\n\n[Link]\nNamePolicy=mac\n',
    '/etc/sysfs.conf': 'bus/pci/devices/0000:04:00.0/sriov_numvfs = 7\nbus/pci/devices/0000:05:00.0/sriov_numvfs = 2\n',
  })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterAll(() => removeFixture(root));

describe('planPersistence on the real igb capture', () => {
  it('plans a file for eth1 by its permanent MAC, and shows the sysfs.conf line that competes', async () => {
    const { plan, owners } = await planPersistence({ root, address: '0000:04:00.0', desired: { count: 2, vfs: [{ vf: 0, mac: '02:00:00:00:01:00' }] }, systemdVersion: 252 });
    expect(plan).toMatchObject({ kind: 'link-file', write: { path: '/etc/systemd/network/70-vfmap-eth1.link' } });
    expect(plan.kind === 'link-file' && plan.write.content).toContain('PermanentMACAddress=52:54:00:12:35:01');
    expect(owners.map((o) => [o.path, o.line, o.competes])).toEqual([['/etc/sysfs.conf', 1, 'yes']]);
  });
  it('falls back to apply-desired for the NVMe PF', async () => {
    const { plan } = await planPersistence({ root, address: '0000:01:00.0', desired: { count: 2, vfs: [] }, systemdVersion: 252 });
    expect(plan).toMatchObject({ kind: 'apply-desired', reason: 'no-netdev' });
  });
});

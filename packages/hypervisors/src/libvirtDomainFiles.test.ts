import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { libvirtDomainFiles } from './libvirtDomainFiles';

const UUID = '0f7e4d2a-6b0c-4e55-9a51-3c1b2d4e5f60';
const OTHER = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const xml = (uuid: string, memory: number) => `<domain type='kvm'>\n  <name>vm1</name>\n  <uuid>${uuid}</uuid>\n  <memory>${memory}</memory>\n</domain>\n`;

let root: string;
let config: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vfmap-libvirt-files-'));
  mkdirSync(join(root, 'etc/libvirt/qemu'), { recursive: true });
  mkdirSync(join(root, 'run/libvirt/qemu'), { recursive: true });
  config = join(root, 'etc/libvirt/qemu/vm1.xml');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the files libvirtd keeps domains in', () => {
  it('are used only for the local system connection', () => {
    expect(libvirtDomainFiles(root, 'qemu:///system')).not.toBeNull();
    expect(libvirtDomainFiles(root, 'qemu:///session')).toBeNull();
    expect(libvirtDomainFiles(root, 'qemu+ssh://other/system')).toBeNull();
  });

  it('give a digest that follows the content, and none for a missing file or one naming another domain', () => {
    const files = libvirtDomainFiles(root, 'qemu:///system')!;
    expect(files.digest('config', 'vm1', UUID)).toBeNull();
    writeFileSync(config, xml(UUID, 1024));
    const first = files.digest('config', 'vm1', UUID);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(files.digest('config', 'vm1', UUID)).toBe(first);
    writeFileSync(config, xml(UUID, 2048));
    expect(files.digest('config', 'vm1', UUID)).not.toBe(first);
    writeFileSync(config, xml(OTHER, 1024));
    expect(files.digest('config', 'vm1', UUID)).toBeNull();
    expect(files.digest('status', 'vm1', UUID)).toBeNull();
  });

  it('read a file again while its mtime is recent, so a rewrite within the same clock tick is not missed', () => {
    // The file's mtime is pinned at 1000 s and the clock says 10 ms later: two writes in one tick.
    const files = libvirtDomainFiles(root, 'qemu:///system', () => 1_000_010)!;
    writeFileSync(config, xml(UUID, 1024));
    utimesSync(config, 1000, 1000);
    const first = files.digest('config', 'vm1', UUID);
    const before = statSync(config, { bigint: true });
    writeFileSync(config, xml(UUID, 2048));
    utimesSync(config, 1000, 1000);
    const after = statSync(config, { bigint: true });
    expect([after.ino, after.mtimeNs, after.size]).toEqual([before.ino, before.mtimeNs, before.size]);
    expect(files.digest('config', 'vm1', UUID)).not.toBe(first);
  });
});

import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fixtures = join(import.meta.dirname, 'fixtures/pve');
const standin = join(import.meta.dirname, 'qm-standin.mjs');

export interface PveRoot {
  root: string;
  /** ROOT/usr/sbin/qm: runs test/qm-standin.mjs (Proxmox's qm cannot run here) on this root. */
  qm: string;
  confPath(vmid: string): string;
  /** Marks a VM as running the way qemu-server does: a pid file naming a live process (this one). */
  start(vmid: string): void;
  stop(vmid: string): void;
  cleanup(): void;
}

/**
 * A temp directory laid out like a Proxmox node's root: etc/hostname, etc/pve/nodes/<node>/
 * qemu-server with the etc/pve/qemu-server link pmxcfs makes, etc/pve/mapping/pci.cfg, and
 * the stand-in qm at usr/sbin/qm.
 */
export function makePveRoot(options: { node?: string; confs?: string[]; mapping?: boolean; running?: string[] } = {}): PveRoot {
  const node = options.node ?? 'pve1';
  const root = mkdtempSync(join(tmpdir(), 'vfmap-pve-'));
  mkdirSync(join(root, 'etc/pve/mapping'), { recursive: true });
  writeFileSync(join(root, 'etc/hostname'), `${node}.example.net\n`);
  const nodeDir = join(root, 'etc/pve/nodes', node, 'qemu-server');
  mkdirSync(nodeDir, { recursive: true });
  symlinkSync(`nodes/${node}/qemu-server`, join(root, 'etc/pve/qemu-server'));
  for (const conf of options.confs ?? ['100.conf', '101.conf', '102.conf']) copyFileSync(join(fixtures, conf), join(nodeDir, conf));
  if (options.mapping ?? true) copyFileSync(join(fixtures, 'pci.cfg'), join(root, 'etc/pve/mapping/pci.cfg'));
  mkdirSync(join(root, 'var/run/qemu-server'), { recursive: true });

  const qm = join(root, 'usr/sbin/qm');
  mkdirSync(join(root, 'usr/sbin'), { recursive: true });
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(qm, `#!/bin/sh\nVFMAP_QM_STANDIN_ROOT=${quote(root)} exec ${quote(process.execPath)} ${quote(standin)} "$@"\n`);
  chmodSync(qm, 0o755);

  const pve: PveRoot = {
    root,
    qm,
    confPath: (vmid) => join(nodeDir, `${vmid}.conf`),
    start: (vmid) => writeFileSync(join(root, 'var/run/qemu-server', `${vmid}.pid`), `${process.pid}\n`),
    stop: (vmid) => rmSync(join(root, 'var/run/qemu-server', `${vmid}.pid`), { force: true }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const vmid of options.running ?? []) pve.start(vmid);
  return pve;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCmdline, readFdTargets, readRunningQemus } from './readRunningQemus';
import { runningPaths } from './runningPaths';

/**
 * The reader over this machine's real /proc, with a real QEMU the test starts: no guest (`-machine
 * none -S`), a `-pidfile` as qemu-server gives one, and a raw drive on a temp file so that the
 * process has an open fd the test knows (a /dev/vfio fd needs a VF bound to vfio-pci: the
 * real-kernel guest test's part).
 */
const QEMU = '/usr/bin/qemu-system-x86_64';
const dir = mkdtempSync(join(tmpdir(), 'vfmap-realproc-'));
const pidfile = join(dir, '100.pid');
const disk = join(dir, 'disk.raw');
let child: ChildProcess | null = null;

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(QEMU)) return;
  writeFileSync(disk, Buffer.alloc(4096));
  child = spawn(QEMU, ['-machine', 'none', '-nodefaults', '-display', 'none', '-S', '-name', 'vfmap-realproc,debug-threads=on', '-pidfile', pidfile, '-drive', `file=${disk},if=none,format=raw,id=d0`], { stdio: 'ignore' });
  await waitFor(() => existsSync(pidfile) && readFileSync(pidfile, 'utf8').trim() !== '');
});
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(QEMU))('the running-holders reader on the real /proc', () => {
  it('reads a real QEMU\'s cmdline: its -pidfile names the file holding its pid, as qemu-server checks', async () => {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    expect(pid).toBe(child!.pid);
    const cmd = await readCmdline(runningPaths('/'), pid);
    expect(cmd).toEqual({ pidfile, name: 'vfmap-realproc', hosts: [] });
  });

  it('reads the real fd table of our own QEMU: the temp file it has open is there', async () => {
    const targets = await readFdTargets(runningPaths('/'), child!.pid!);
    expect(targets).toContain(disk);
  });

  it('scans the whole real /proc without failing, and lists no QEMU that holds no VF', async () => {
    const facts = await readRunningQemus('/');
    expect(facts.processes.map((p) => p.pid)).not.toContain(child!.pid);
    for (const p of facts.processes) expect(p.hosts.length + p.vfioGroups.length + p.vfioDevices.length + (p.vmId ? 1 : 0)).toBeGreaterThan(0);
  });

  it('answers null for a process that is no QEMU (this test runner)', async () => {
    expect(await readCmdline(runningPaths('/'), process.pid)).toBeNull();
  });
});

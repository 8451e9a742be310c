import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditPage, HypervisorCommandProblem, HypervisorTimeoutProblem } from '@vfmap/model';
import { problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';

// The agent as Proxmox runs it, over the demo host, with a `qm` that misbehaves: a stand-in
// script named as such, since Proxmox's own cannot run here.
const VF = '0000:18:11.1';
const QM: Record<'hang' | 'fail-odd' | 'ok', string> = {
  hang: 'exec sleep 60',
  'fail-odd': `printf 'ipcc_send_rec[1] failed: \\033[31mConnection refused\\000\\n' >&2; exit 255`,
  // The working stand-in the hypervisors package tests with: it edits the VM config as qm does.
  ok: `VFMAP_QM_STANDIN_ROOT="$ROOT" exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, '../../../../packages/hypervisors/test/qm-standin.mjs'))} "$@"`,
};

let host: SimAgent | null = null;
let bin: string | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
  if (bin) rmSync(bin, { recursive: true, force: true });
  bin = null;
});

async function proxmoxAgent(): Promise<{ h: SimAgent; qm: (mode: keyof typeof QM) => void }> {
  bin = mkdtempSync(join(tmpdir(), 'vfmap-standin-qm-'));
  const qmPath = join(bin, 'qm');
  const qm = (mode: keyof typeof QM) => {
    writeFileSync(qmPath, `#!/bin/sh\n# stand-in qm: ${mode}\nROOT=${JSON.stringify(host?.root ?? '')}\n${QM[mode]}\n`);
    chmodSync(qmPath, 0o755);
  };
  qm('hang');
  host = await startSimAgent({
    args: ['--hypervisor', 'proxmox', '--command-timeout-ms', '500', '--qm', qmPath],
    prepare: (root) => {
      const confs = join(root, 'etc/pve/nodes/pve1/qemu-server');
      mkdirSync(confs, { recursive: true });
      symlinkSync('nodes/pve1/qemu-server', join(root, 'etc/pve/qemu-server'));
      writeFileSync(join(root, 'etc/hostname'), 'pve1\n');
      writeFileSync(join(confs, '101.conf'), 'name: web01\nmachine: q35\nmemory: 1024\n');
    },
  });
  return { h: host, qm };
}

const assign = (h: SimAgent) => h.request('POST', `/vfs/${VF}/assignment`, { vmId: '101' });
const lastAudit = async (h: SimAgent) => AuditPage.parse(await (await fetch(h.api('/audit'))).json()).entries[0]!;

describe('qm misbehaving under an assignment', () => {
  it('hangs: 504 naming the command within the command timeout, audited, the topology served with a warning, and the next assignment works', async () => {
    const { h, qm } = await proxmoxAgent();
    const res = await assign(h);
    expect(res.status).toBe(504);
    const problem = await problemOf(res, HypervisorTimeoutProblem);
    expect(problem.command?.slice(1, 3)).toEqual(['set', '101']);
    expect(problem.detail).toContain('did not finish in time (500 ms)');
    expect(await lastAudit(h)).toMatchObject({ operation: 'assign', target: VF, result: 'failed', problem: { code: 'timeout', status: 504 } });
    const t = await h.topology();
    expect(t.warnings.find((w) => w.code === 'hypervisor-unavailable')?.message).toContain('did not finish in time');

    qm('ok');
    expect((await assign(h)).status).toBe(200);
  });

  it('exits non-zero with odd text: 502 with the exit status and a readable message, and the next assignment works', async () => {
    const { h, qm } = await proxmoxAgent();
    qm('fail-odd');
    const res = await assign(h);
    expect(res.status).toBe(502);
    const problem = await problemOf(res, HypervisorCommandProblem);
    expect(problem).toMatchObject({ code: 'command-failed', exitStatus: 255 });
    expect(problem.detail).toContain('failed (exit status 255): ipcc_send_rec[1] failed: ?[31mConnection refused?');
    qm('ok');
    expect((await assign(h)).status).toBe(200);
  });
});

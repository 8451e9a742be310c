import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultyTool, type ToolFault } from '../test/faultyTool';
import { makePveRoot, type PveRoot } from '../test/pveRoot';
import { createHypervisor } from './createHypervisor';
import { HypervisorError } from './hypervisor';
import { createVirsh } from './virsh';

// The hypervisor tools misbehaving, through stand-ins named as such (test/faultyTool.ts): every
// call ends within its timeout with an error that names the command and what went wrong, the
// snapshot still stands with a warning, and nothing is buffered past the output cap.
let bin: string;
let pve: PveRoot | null = null;
beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'vfmap-faulty-tools-'));
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));
afterEach(() => {
  pve?.cleanup();
  pve = null;
});

const expected: Record<ToolFault, { code: string; says: RegExp }> = {
  hang: { code: 'timeout', says: /did not finish in time \(500 ms\) and was killed/ },
  'fail-odd': { code: 'command-failed', says: /failed \(exit status 255\): ipcc_send_rec\[1\] failed: \?\[31mConnection refused\?\?: #{100,}…/ },
  'not-its-output': { code: '', says: /qm list printed something that is not its table: "\{\\"data\\"/ },
  flood: { code: 'command-failed', says: /printed more than 4 MiB and was stopped/ },
};

describe.each(['hang', 'fail-odd', 'not-its-output', 'flood'] as const)('a qm that misbehaves: %s', (fault) => {
  const proxmox = () => {
    pve = makePveRoot({ running: ['100'] });
    const qm = faultyTool(bin, `qm-${fault}`, fault);
    return createHypervisor('proxmox', { root: pve.root, qm, commandTimeoutMs: 500 });
  };

  it('the snapshot still lists the VMs from their configs, their states unknown, with a warning saying why', async () => {
    const snap = await proxmox().snapshot();
    expect(snap.vms.map((vm) => [vm.id, vm.state])).toEqual([
      ['100', 'unknown'],
      ['101', 'unknown'],
      ['102', 'unknown'],
    ]);
    const warning = snap.warnings.find((w) => w.code === 'hypervisor-unavailable');
    expect(warning?.message).toMatch(expected[fault].says);
  });

  it.runIf(fault !== 'not-its-output')('an attach fails with a HypervisorError naming the command and what went wrong', async () => {
    const err = (await proxmox().attach('101', '0000:3b:02.2').catch((e: unknown) => e)) as HypervisorError;
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err.code).toBe(expected[fault].code);
    expect(err.command?.slice(1, 3)).toEqual(['set', '101']);
    expect(err.message).toMatch(expected[fault].says);
    expect(err.stderr.length).toBeLessThanOrEqual(64 * 1024);
  });
});

describe.each(['hang', 'fail-odd', 'flood'] as const)('a virsh that misbehaves: %s', (fault) => {
  it('listing the domains fails with a HypervisorError naming virsh', async () => {
    const virsh = createVirsh({ path: faultyTool(bin, `virsh-${fault}`, fault), timeoutMs: 500 });
    const err = (await virsh.listDomains().catch((e: unknown) => e)) as HypervisorError;
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err.code).toBe(expected[fault].code);
    expect(err.message).toContain(`virsh-${fault} -c qemu:///system list --all --uuid --name`);
    expect(err.message).toMatch(expected[fault].says);
  });
});

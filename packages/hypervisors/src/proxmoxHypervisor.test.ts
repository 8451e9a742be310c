import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makePveRoot, type PveRoot } from '../test/pveRoot';
import { createHypervisor } from './createHypervisor';
import { HypervisorError } from './hypervisor';
import { parseQemuConf } from './parseQemuConf';
import { createQm } from './qm';
import { isQ35 } from './proxmoxHypervisor';

// Proxmox's qm cannot run here: these tests run test/qm-standin.mjs, which edits the config
// files the way qm does (see its header), on a temp tree laid out like a Proxmox node.
let pve: PveRoot | null = null;
afterEach(() => {
  pve?.cleanup();
  pve = null;
});
function setup(options: Parameters<typeof makePveRoot>[0] = {}) {
  pve = makePveRoot(options);
  return { pve, hv: createHypervisor('proxmox', { root: pve.root, qm: pve.qm }) };
}
const conf = (p: PveRoot, vmid: string) => parseQemuConf(readFileSync(p.confPath(vmid), 'utf8'));

/** The evidence a drift finding names: the config file as the host shows it. */
const CONF = '/etc/pve/qemu-server/100.conf';

describe('proxmox adapter: reading', () => {
  it('lists the VMs with names from their configs and states from qm list', async () => {
    const { hv } = setup({ running: ['100'] });
    const snap = await hv.snapshot();
    expect(snap.vms).toEqual([
      { id: '100', name: 'web01', state: 'running' },
      { id: '101', name: 'gpu-worker', state: 'stopped' },
      { id: '102', name: 'VM 102', state: 'stopped' },
    ]);
  });

  it('reads current, mapped and [PENDING] devices, never those of snapshot sections', async () => {
    const { hv } = setup({ running: ['100'] });
    const snap = await hv.snapshot();
    expect(snap.assignments.filter((a) => a.vmId === '100')).toEqual([
      { target: '0000:3b:02.1', vmId: '100', vmName: 'web01', via: 'hostpci0', pending: true, pendingChange: 'detach', config: { path: CONF, line: 'hostpci0: 0000:3b:02.1,pcie=1' } },
      { target: '0000:3b:02.4', vmId: '100', vmName: 'web01', via: 'hostpci1', pending: false, pendingChange: null, config: { path: CONF, line: 'hostpci1: mapping=nic-vfs,pcie=1' } },
      { target: '0000:3b:02.3', vmId: '100', vmName: 'web01', via: 'hostpci2', pending: true, pendingChange: 'attach', config: { path: CONF, line: '[PENDING] hostpci2: 0000:3b:02.3,pcie=1' } },
    ]);
    expect(snap.assignments.filter((a) => a.vmId === '101').map((a) => a.target)).toEqual(['0000:01:00', '0000:01:00.1', '0000:01:00.2']);
    expect(snap.assignments.map((a) => a.target)).not.toContain('0000:3b:02.7');
  });

  it('says when a pool mapping leaves the device of a stopped VM open', async () => {
    const { hv } = setup();
    const snap = await hv.snapshot();
    expect(snap.assignments.filter((a) => a.vmId === '102')).toEqual([]);
    expect(snap.warnings).toContainEqual(expect.objectContaining({ code: 'mapping-pool', path: 'etc/pve/qemu-server/102.conf' }));
  });

  it('takes the pool device a running VM reserved from qemu-server reservations', async () => {
    const { pve: p, hv } = setup({ running: ['102'] });
    mkdirSync(`${p.root}/run/qemu-server`, { recursive: true });
    writeFileSync(`${p.root}/run/qemu-server/pci-id-reservations`, `0000:3b:02.6 102 pid:${process.pid}\n`);
    const snap = await hv.snapshot();
    expect(snap.assignments.filter((a) => a.vmId === '102').map((a) => a.target)).toEqual(['0000:3b:02.6']);
  });

  it('resolves mappings for the node named by etc/hostname', async () => {
    const { hv } = setup({ node: 'pve2' });
    const snap = await hv.snapshot();
    expect(snap.assignments.find((a) => a.vmId === '100' && a.via === 'hostpci1')?.target).toBe('0000:5e:02.0');
  });

  it('reports VM states as unknown, with a warning, when qm is not installed', async () => {
    pve = makePveRoot({ running: ['100'] });
    const hv = createHypervisor('proxmox', { root: pve.root, qm: `${pve.root}/usr/sbin/no-qm-here` });
    const snap = await hv.snapshot();
    expect(snap.vms.map((v) => v.state)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(snap.warnings).toContainEqual(expect.objectContaining({ code: 'hypervisor-unavailable' }));
    expect(snap.assignments.length).toBeGreaterThan(0);
  });

  it('warns, without failing, on a host that is not a Proxmox node', async () => {
    pve = makePveRoot();
    rmSync(`${pve.root}/etc/pve`, { recursive: true });
    const snap = await createHypervisor('proxmox', { root: pve.root, qm: pve.qm }).snapshot();
    expect(snap).toEqual({ vms: [], assignments: [], warnings: [expect.objectContaining({ code: 'unreadable', path: 'etc/pve/qemu-server' })] });
  });

  it('changes its fingerprint when a config changes or a VM starts, and not otherwise', async () => {
    const { pve: p, hv } = setup();
    const first = await hv.fingerprint();
    expect(await hv.fingerprint()).toBe(first);
    p.start('101');
    const started = await hv.fingerprint();
    expect(started).not.toBe(first);
    await hv.attach('101', '0000:3b:02.2');
    expect(await hv.fingerprint()).not.toBe(started);
  });
});

describe('proxmox adapter: attach', () => {
  it('writes the first free hostpciN of a stopped VM into its config, without pcie on i440fx', async () => {
    const { pve: p, hv } = setup();
    expect(await hv.attach('101', '0000:3b:02.2')).toEqual({ effect: 'next-start', via: 'hostpci2' });
    expect(conf(p, '101').current.get('hostpci2')).toBe('0000:3b:02.2');
    const snap = await hv.snapshot();
    expect(snap.assignments).toContainEqual({
      target: '0000:3b:02.2', vmId: '101', vmName: 'gpu-worker', via: 'hostpci2', pending: false, pendingChange: null,
      config: { path: '/etc/pve/qemu-server/101.conf', line: 'hostpci2: 0000:3b:02.2' },
    });
  });

  it('puts a running VM\'s new device into [PENDING] with pcie=1 on q35, and leaves the snapshot alone', async () => {
    const { pve: p, hv } = setup({ running: ['100'] });
    const before = readFileSync(p.confPath('100'), 'utf8');
    // hostpci0..2 are taken (hostpci0 in current, hostpci2 in [PENDING]); hostpci3 is only in the snapshot.
    expect(await hv.attach('100', '0000:3b:02.2')).toEqual({ effect: 'next-start', via: 'hostpci3' });
    const after = conf(p, '100');
    expect(after.pending.get('hostpci3')).toBe('0000:3b:02.2,pcie=1');
    expect(after.current.has('hostpci3')).toBe(false);
    expect(readFileSync(p.confPath('100'), 'utf8')).toContain('[before-upgrade]\nagent: 1');
    expect(before).toContain('hostpci3: 0000:3b:02.7');
    const snap = await hv.snapshot();
    expect(snap.assignments).toContainEqual(expect.objectContaining({ target: '0000:3b:02.2', via: 'hostpci3', pending: true, pendingChange: 'attach' }));
  });

  it('gives two VFs attached at once to one VM two different entries', async () => {
    const { pve: p, hv } = setup();
    const results = await Promise.all([hv.attach('101', '0000:3b:02.2'), hv.attach('101', '0000:3b:02.5')]);
    expect(results.map((r) => r.via).sort()).toEqual(['hostpci2', 'hostpci3']);
    expect([conf(p, '101').current.get('hostpci2'), conf(p, '101').current.get('hostpci3')].sort()).toEqual(['0000:3b:02.2', '0000:3b:02.5']);
  });

  it('refuses an unknown VM, a device the VM already names, and a VM with all 16 entries used', async () => {
    const { pve: p, hv } = setup();
    await expect(hv.attach('999', '0000:3b:02.2')).rejects.toMatchObject({ code: 'unknown-vm' });
    await expect(hv.attach('../100', '0000:3b:02.2')).rejects.toMatchObject({ code: 'unknown-vm' });
    await expect(hv.attach('101', '0000:01:00.3')).rejects.toMatchObject({ code: 'already-assigned' }); // in the whole-device entry
    await expect(hv.attach('101', '0000:01:00.1')).rejects.toMatchObject({ code: 'already-assigned' });
    const full = Array.from({ length: 16 }, (_, i) => `hostpci${i}: 0000:3b:0${Math.floor(i / 8) + 4}.${i % 8}\n`).join('');
    writeFileSync(p.confPath('101'), `name: full\n${full}`);
    await expect(hv.attach('101', '0000:3b:02.2')).rejects.toMatchObject({ code: 'no-free-slot' });
  });

  it('reports qm\'s refusal of a locked VM with its stderr', async () => {
    const { hv } = setup();
    const err = await hv.attach('102', '0000:3b:02.2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'command-failed', exitStatus: 255, stderr: 'VM is locked (backup)\n' });
    expect((err as HypervisorError).command).toEqual(expect.arrayContaining(['set', '102', '--hostpci1', '0000:3b:02.2,pcie=1']));
  });
});

describe('proxmox adapter: detach', () => {
  it('removes a stopped VM\'s entry from its config at once', async () => {
    const { pve: p, hv } = setup();
    await hv.attach('101', '0000:3b:02.2');
    expect(await hv.detach('101', '0000:3b:02.2')).toEqual({ effect: 'next-start', via: 'hostpci2' });
    expect(conf(p, '101').current.has('hostpci2')).toBe(false);
  });

  it('marks a running VM\'s device for deletion in [PENDING]: it leaves at the next start', async () => {
    const { pve: p, hv } = setup({ running: ['100'] });
    expect(await hv.detach('100', '0000:3b:02.4')).toEqual({ effect: 'next-start', via: 'hostpci1' });
    const after = conf(p, '100');
    expect(after.current.get('hostpci1')).toBe('mapping=nic-vfs,pcie=1');
    expect(after.pendingDelete.map((d) => d.key).sort()).toEqual(['hostpci0', 'hostpci1']);
    const snap = await hv.snapshot();
    expect(snap.assignments).toContainEqual(expect.objectContaining({ target: '0000:3b:02.4', pending: true, pendingChange: 'detach' }));
  });

  it('withdraws a running VM\'s pending attach at once', async () => {
    const { pve: p, hv } = setup({ running: ['100'] });
    expect(await hv.detach('100', '0000:3b:02.3')).toEqual({ effect: 'live', via: 'hostpci2' });
    const after = conf(p, '100');
    expect(after.pending.has('hostpci2')).toBe(false);
    expect(after.pendingDelete.map((d) => d.key)).toEqual(['hostpci0']);
  });

  it('refuses to take one function out of an entry that passes several', async () => {
    const { hv } = setup();
    await expect(hv.detach('101', '0000:01:00.0')).rejects.toMatchObject({ code: 'unsupported' });
    await expect(hv.detach('101', '0000:01:00.2')).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('refuses a device the VM does not name, and an unknown VM', async () => {
    const { hv } = setup();
    await expect(hv.detach('101', '0000:3b:02.7')).rejects.toMatchObject({ code: 'not-assigned' });
    await expect(hv.detach('555', '0000:3b:02.7')).rejects.toMatchObject({ code: 'unknown-vm' });
  });
});

describe('qm transport with the stand-in', () => {
  it('passes the digest, so that qm refuses a config changed since it was read', async () => {
    pve = makePveRoot();
    const qm = createQm({ path: pve.qm });
    await expect(qm.set('101', 'hostpci2', '0000:3b:02.2', '0'.repeat(40))).rejects.toMatchObject({
      code: 'command-failed',
      stderr: expect.stringContaining('detected modified configuration'),
    });
  });
});

describe('isQ35', () => {
  it('knows q35 machine types in both config forms', () => {
    expect(['q35', 'pc-q35-8.1', 'type=q35,viommu=intel', 'pc', 'pc-i440fx-8.1', undefined].map(isQ35)).toEqual([true, true, true, false, false, false]);
  });
});

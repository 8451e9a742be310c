import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBVIRT_URI, libvirtSkipReason, requireLibvirtd, tryVirsh, virsh } from '../test/libvirtd';
import { createHypervisor } from './createHypervisor';
import { HypervisorError, type Hypervisor } from './hypervisor';
import { libvirtHypervisor } from './libvirtHypervisor';
import { runCommand, type RunCommand } from './runCommand';
import { createVirsh } from './virsh';

// These tests talk to a real libvirtd (started here like .ci/run does when it is not running).
// This machine has no IOMMU for the guest: libvirt accepts hostdevs in a domain's persistent
// config, and refuses to start a domain with one or hot-plug one ("host doesn't support
// passthrough of host PCI devices") — real behaviour the adapter must carry through.
const skip = libvirtSkipReason();
const tag = randomBytes(3).toString('hex');
const stoppedName = `vfmap-test-${tag}-stopped`;
const runningName = `vfmap-test-${tag}-running`;
const work = mkdtempSync(join(tmpdir(), 'vfmap-libvirt-test-'));

function defineDomain(name: string, devices = ''): void {
  const file = join(work, `${name}.xml`);
  writeFileSync(
    file,
    `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>${devices}</devices>
</domain>
`,
  );
  virsh('define', file);
}

function inactiveXml(name: string): string {
  return virsh('dumpxml', '--inactive', name);
}

describe.runIf(skip === null)(`libvirt adapter against a real libvirtd${skip ? ` (not run: ${skip})` : ''}`, () => {
  let hv: Hypervisor;

  beforeAll(async () => {
    await requireLibvirtd();
    defineDomain(
      stoppedName,
      `<interface type='hostdev' managed='yes'>
        <mac address='52:54:00:6d:90:02'/>
        <source><address type='pci' domain='0x0000' bus='0x3b' slot='0x10' function='0x2'/></source>
      </interface>`,
    );
    defineDomain(runningName);
    virsh('start', runningName);
    hv = createHypervisor('libvirt', { libvirtUri: LIBVIRT_URI });
  });

  afterAll(() => {
    tryVirsh('destroy', runningName);
    tryVirsh('undefine', runningName);
    tryVirsh('undefine', stoppedName);
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the domains with their states', async () => {
    const snap = await hv.snapshot();
    expect(snap.vms).toContainEqual({ id: stoppedName, name: stoppedName, state: 'stopped' });
    expect(snap.vms).toContainEqual({ id: runningName, name: runningName, state: 'running' });
  });

  it('reads an <interface type=hostdev> as held by the domain', async () => {
    const snap = await hv.snapshot();
    expect(snap.assignments.filter((a) => a.vmId === stoppedName)).toEqual([
      {
        target: '0000:3b:10.2', vmId: stoppedName, vmName: stoppedName, via: 'interface', pending: false, pendingChange: null,
        config: { path: `/etc/libvirt/qemu/${stoppedName}.xml`, line: "<interface> <address domain='0x0000' bus='0x3b' slot='0x10' function='0x2'/>" },
      },
    ]);
  });

  it('attaches a hostdev to a stopped domain\'s config and reads it back', async () => {
    expect(await hv.attach(stoppedName, '0000:3b:02.1')).toEqual({ effect: 'next-start', via: 'hostdev' });
    expect(inactiveXml(stoppedName)).toMatch(/<hostdev mode='subsystem' type='pci' managed='yes'>\s*<source>\s*<address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'\/>/);
    const snap = await hv.snapshot();
    expect(snap.assignments).toContainEqual(expect.objectContaining({ target: '0000:3b:02.1', vmId: stoppedName, vmName: stoppedName, via: 'hostdev', pending: false, pendingChange: null }));
  });

  it('refuses to attach a device the domain already names', async () => {
    await expect(hv.attach(stoppedName, '0000:3b:02.1')).rejects.toMatchObject({ code: 'already-assigned' });
  });

  it('reports libvirt\'s refusal to start a domain with a hostdev here, with its stderr', async () => {
    const err = await createVirsh({ uri: LIBVIRT_URI }).run(['start', stoppedName]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'command-failed', exitStatus: 1 });
    expect((err as HypervisorError).stderr).toContain("host doesn't support passthrough of host PCI devices");
    expect((err as HypervisorError).message).toContain(`Failed to start domain '${stoppedName}'`);
    expect((err as HypervisorError).command).toEqual(['virsh', '-c', LIBVIRT_URI, 'start', stoppedName]);
  });

  it('detaches a hostdev and an interface from a stopped domain\'s config', async () => {
    expect(await hv.detach(stoppedName, '0000:3b:02.1')).toEqual({ effect: 'next-start', via: 'hostdev' });
    expect(await hv.detach(stoppedName, '0000:3b:10.2')).toEqual({ effect: 'next-start', via: 'interface' });
    expect(inactiveXml(stoppedName)).not.toMatch(/<hostdev|type='hostdev'/);
    await expect(hv.detach(stoppedName, '0000:3b:02.1')).rejects.toMatchObject({ code: 'not-assigned' });
  });

  it('carries libvirt\'s refusal to hot-plug into a running domain, and changes nothing', async () => {
    const err = await hv.attach(runningName, '0000:3b:02.3').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'command-failed', exitStatus: 1 });
    expect((err as HypervisorError).stderr).toContain("host doesn't support passthrough of host PCI devices");
    expect((err as HypervisorError).command).toEqual(expect.arrayContaining(['attach-device', '--config', '--live']));
    expect(inactiveXml(runningName)).not.toContain('<hostdev');
  });

  it('shows a device only in a running domain\'s persistent config as pending, and withdraws it at once', async () => {
    const file = join(work, 'pending.xml');
    writeFileSync(file, "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x02' function='0x4'/></source></hostdev>");
    virsh('attach-device', runningName, file, '--config');
    const snap = await hv.snapshot();
    expect(snap.assignments.filter((a) => a.vmId === runningName)).toEqual([
      expect.objectContaining({ target: '0000:3b:02.4', vmId: runningName, vmName: runningName, via: 'hostdev', pending: true, pendingChange: 'attach' }),
    ]);
    expect(await hv.detach(runningName, '0000:3b:02.4')).toEqual({ effect: 'live', via: 'hostdev' });
    expect(inactiveXml(runningName)).not.toContain('<hostdev');
  });

  it('changes its fingerprint when a config or a state changes, and not otherwise', async () => {
    const first = await hv.fingerprint();
    expect(await hv.fingerprint()).toBe(first);
    await hv.attach(stoppedName, '0000:3b:02.5');
    const attached = await hv.fingerprint();
    expect(attached).not.toBe(first);
    virsh('suspend', runningName);
    expect(await hv.fingerprint()).not.toBe(attached);
    expect((await hv.snapshot()).vms).toContainEqual({ id: runningName, name: runningName, state: 'paused' });
    virsh('resume', runningName);
  });

  it('notices a device added to a domain\'s persistent config behind its back, without asking virsh for any XML', async () => {
    const commands: string[] = [];
    const recording: RunCommand = (command, options) => {
      commands.push(command.join(' '));
      return runCommand(command, options);
    };
    const watched = createHypervisor('libvirt', { libvirtUri: LIBVIRT_URI, run: recording });
    const ours = [stoppedName, runningName].map((name) => virsh('domuuid', name).trim());
    const file = join(work, 'behind-the-back.xml');
    writeFileSync(file, "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x03' function='0x1'/></source></hostdev>");

    const first = await watched.fingerprint();
    expect(await watched.fingerprint()).toBe(first);
    virsh('attach-device', stoppedName, file, '--config');
    const stoppedChanged = await watched.fingerprint();
    expect(stoppedChanged).not.toBe(first);
    virsh('attach-device', runningName, file, '--config');
    const runningChanged = await watched.fingerprint();
    expect(runningChanged).not.toBe(stoppedChanged);
    virsh('detach-device', runningName, file, '--config');
    expect(await watched.fingerprint()).not.toBe(runningChanged);

    // libvirtd's own files stood for the XML of both domains: no dumpxml of them, one list per check.
    const dumps = commands.filter((c) => c.includes('dumpxml') && ours.some((uuid) => c.includes(uuid)));
    expect(dumps).toEqual([]);
    expect(commands.filter((c) => c.endsWith('list --all --uuid --name'))).toHaveLength(5);
    virsh('detach-device', stoppedName, file, '--config');
  });

  it('notices the same from the XML virsh gives when it cannot read libvirtd\'s files', async () => {
    const fromVirsh = libvirtHypervisor(createVirsh({ uri: LIBVIRT_URI }), null);
    const file = join(work, 'behind-the-back-2.xml');
    writeFileSync(file, "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x03' function='0x2'/></source></hostdev>");
    const first = await fromVirsh.fingerprint();
    expect(await fromVirsh.fingerprint()).toBe(first);
    virsh('attach-device', stoppedName, file, '--config');
    expect(await fromVirsh.fingerprint()).not.toBe(first);
    virsh('detach-device', stoppedName, file, '--config');
  });

  it('refuses a domain libvirt does not know', async () => {
    await expect(hv.attach(`vfmap-test-${tag}-absent`, '0000:3b:02.1')).rejects.toMatchObject({ code: 'unknown-vm' });
  });

  it('reports an unreachable libvirt as a warning, not a failure', async () => {
    const away = createHypervisor('libvirt', { libvirtUri: 'qemu+unix:///system?socket=/nonexistent/libvirt-sock' });
    const snap = await away.snapshot();
    expect(snap.vms).toEqual([]);
    expect(snap.warnings).toEqual([expect.objectContaining({ code: 'hypervisor-unavailable' })]);
  });
});

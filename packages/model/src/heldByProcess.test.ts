import { describe, expect, it } from 'vitest';
import { describeHeldByProcess, processIdOf } from './heldByProcess';
import type { Holder, Vm } from './topology';

const VF = '0000:3b:02.1';
const vms: Vm[] = [
  { id: '100', name: 'router', state: 'running' },
  { id: '102', name: 'build', state: 'stopped' },
];
const running = (over: Partial<Holder>): Holder => ({ vmId: 'pid:5150', vmName: 'pid:5150', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running', ...over });

describe('describeHeldByProcess', () => {
  it('names a hand-started QEMU by its pid and says no configuration names the VF', () => {
    expect(describeHeldByProcess(VF, running({}), vms)).toEqual({
      pid: 5150,
      configuredVmId: null,
      detail: `${VF} is held by QEMU process 5150, and no VM configuration names it, so there is no configuration to take it out of. Stop process 5150 to free it; nothing was written.`,
    });
  });

  it('adds its -name, and the VM whose configuration names the VF while the process holds it', () => {
    const out = describeHeldByProcess(VF, running({ vmId: 'scratch', vmName: 'scratch', configuredVmId: '102' }), vms);
    expect(out).toMatchObject({ pid: 5150, configuredVmId: '102' });
    expect(out.detail).toBe(
      `${VF} is held by QEMU process 5150 (scratch), and the configuration of VM build (102) names it, but that VM does not hold it; taking it out of that configuration would not free it. Stop process 5150 to free it; nothing was written.`,
    );
  });

  it('says to stop the VM when a VM the hypervisor lists holds it without naming it (a pool pick, a hand hot-plug)', () => {
    const out = describeHeldByProcess(VF, running({ vmId: '100', vmName: 'router', via: 'proxmox pid 4242' }), vms);
    expect(out.detail).toContain('held by QEMU process 4242 of VM router (100)');
    expect(out.detail).toContain('Stop VM router (100), or take the device out of it by hand, to free it');
  });
});

describe('processIdOf', () => {
  it('reads the pid from via or a pid: id, and none from a configuration holder', () => {
    expect(processIdOf(running({ via: 'libvirt pid 77' }))).toBe(77);
    expect(processIdOf(running({ via: 'somewhere', vmId: 'pid:12' }))).toBe(12);
    expect(processIdOf({ vmId: '101', vmName: 'web', via: 'hostpci0', pending: false })).toBeNull();
  });
});

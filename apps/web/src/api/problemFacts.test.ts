import { ProblemType } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { problemFacts } from './problemFacts';

describe('problemFacts', () => {
  it('reads the VMs of a refused count change, as the agent lists them', () => {
    const facts = problemFacts({
      type: ProblemType.conflict,
      title: 'VMs hold VFs this change destroys',
      status: 409,
      reason: 'vfs-held',
      vms: [{ vmId: '101', vmName: 'web-01', vfs: ['0000:18:01.0'] }],
    });
    expect(facts.vms).toEqual([{ vmId: '101', vmName: 'web-01', vfs: ['0000:18:01.0'] }]);
    expect(facts.errno).toBeNull();
  });

  it('reads the errno and where a half-done change stopped', () => {
    const facts = problemFacts({
      type: ProblemType.partial,
      title: 'The VF count change stopped half-way',
      status: 500,
      errno: 'ENOMEM',
      stoppedAt: { numVfs: 0, wrote: '0', refused: '64' },
    });
    expect(facts).toMatchObject({ errno: 'ENOMEM', stoppedAt: { numVfs: 0, wrote: '0', refused: '64' } });
  });

  it('reads the IOMMU group members, the holder, and a failed hypervisor command', () => {
    expect(problemFacts({ type: ProblemType.refused, title: 't', status: 409, iommuGroup: 62, members: ['0000:d8:00.0'] }).iommu).toEqual({ group: 62, members: ['0000:d8:00.0'] });
    expect(problemFacts({ type: ProblemType.conflict, title: 't', status: 409, holder: { vmId: '101', vmName: 'web-01', via: 'hostpci2', pending: false } }).holder).toEqual({
      vmId: '101',
      vmName: 'web-01',
      via: 'hostpci2',
    });
    expect(problemFacts({ type: ProblemType.hypervisor, title: 't', status: 502, command: ['virsh', 'attach-device', 'vm1'], stderr: 'error: no passthrough\n' }).command).toEqual({
      command: 'virsh attach-device vm1',
      stderr: 'error: no passthrough',
    });
  });

  it('leaves out a field that does not have the expected shape', () => {
    const facts = problemFacts({ type: ProblemType.conflict, title: 't', status: 409, vms: 'web-01', errno: 16 });
    expect(facts.vms).toEqual([]);
    expect(facts.errno).toBeNull();
  });
});

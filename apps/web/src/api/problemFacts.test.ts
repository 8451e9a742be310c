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
      previousCount: 16,
      count: 8,
      vms: [{ vmId: '101', vmName: 'web-01', holds: 'both', vfs: ['0000:18:01.0'], configNamesMissing: [] }],
      vfs: [{ address: '0000:18:01.0', index: 0, vmId: '101', vmName: 'web-01', recreated: true, source: 'both' }],
    });
    expect(facts.vms).toEqual([{ vmId: '101', vmName: 'web-01', holds: 'both', vfs: ['0000:18:01.0'], configNamesMissing: [] }]);
    expect(facts.errno).toBeNull();
  });

  it('reads the errno and where a half-done change stopped, also when the count could not be read back', () => {
    const partial = {
      type: ProblemType.partial,
      title: 'The VF count change stopped half-way',
      status: 500,
      errno: 'ENOMEM',
      path: '/sys/bus/pci/devices/0000:af:00.0/sriov_numvfs',
      pf: '0000:af:00.0',
      previousCount: 16,
      requested: 64,
      stoppedAt: { numVfs: 0, wrote: '0', refused: '64' },
    };
    expect(problemFacts(partial)).toMatchObject({ errno: 'ENOMEM', stoppedAt: { numVfs: 0, wrote: '0', refused: '64' } });
    expect(problemFacts({ ...partial, errno: null, stoppedAt: { numVfs: null, wrote: '0', refused: '64' } })).toMatchObject({
      errno: null,
      stoppedAt: { numVfs: null, wrote: '0', refused: '64' },
    });
  });

  it('reads the IOMMU group members, the holder, the PF\'s limit, and a failed hypervisor command', () => {
    expect(
      problemFacts({ type: ProblemType.refused, title: 't', status: 409, reason: 'iommu-group-shared', iommuGroup: 62, members: ['0000:d8:00.0'] }).iommu,
    ).toEqual({ group: 62, members: ['0000:d8:00.0'] });
    expect(
      problemFacts({ type: ProblemType.conflict, title: 't', status: 409, reason: 'vf-held', holder: { vmId: '101', vmName: 'web-01', via: 'hostpci2', pending: false } }).holder,
    ).toEqual({ vmId: '101', vmName: 'web-01', via: 'hostpci2' });
    expect(problemFacts({ type: ProblemType.refused, title: 't', status: 422, reason: 'count-out-of-range', totalVfs: 16, count: 17 }).totalVfs).toBe(16);
    expect(
      problemFacts({
        type: ProblemType.hypervisor,
        title: 't',
        status: 502,
        code: 'command-failed',
        command: ['virsh', 'attach-device', 'vm1'],
        exitStatus: 1,
        stderr: 'error: no passthrough\n',
      }).command,
    ).toEqual({ command: 'virsh attach-device vm1', stderr: 'error: no passthrough' });
  });

  it('shows nothing of a problem whose fields do not have the shape its type has', () => {
    const facts = problemFacts({ type: ProblemType.conflict, title: 't', status: 409, reason: 'vfs-held', vms: 'web-01', errno: 16 });
    expect(facts.vms).toEqual([]);
    expect(facts.errno).toBeNull();
  });

  it('shows nothing of a problem type a newer agent sends', () => {
    const facts = problemFacts({ type: 'urn:vfmap:problem:quota', title: 'Over quota', status: 429, errno: 'EDQUOT', vms: [{ vmId: '1', vmName: 'a', vfs: [] }] });
    expect(facts).toEqual({ errno: null, vms: [], stoppedAt: null, iommu: null, holder: null, totalVfs: null, command: null });
  });
});

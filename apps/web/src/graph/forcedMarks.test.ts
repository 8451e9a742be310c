import type { NumVfsResult } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { loadMarks, marksOfForcedChange, marksStillStanding, mergeMarks, saveMarks, type ForcedMark } from './forcedMarks';

const mark: ForcedMark = { vf: '0000:af:00.2', vmId: '110', vmName: 'nfv-router', operationId: 'op-1', at: '2026-12-06T20:00:00Z' };

describe('forced marks', () => {
  it('marks only the held VFs a forced change re-created', () => {
    const result = {
      operationId: 'op-1',
      forced: [
        { address: '0000:af:00.2', index: 0, vmId: '110', vmName: 'nfv-router', recreated: true },
        { address: '0000:af:00.7', index: 5, vmId: '110', vmName: 'nfv-router', recreated: false },
      ],
    } as unknown as NumVfsResult;
    expect(marksOfForcedChange(result, mark.at)).toEqual([mark]);
  });

  it('keeps a mark while the same VM holds the VF and has not been seen stopped', () => {
    expect(marksStillStanding([mark], labTopology())).toEqual([mark]);
  });

  it('drops a mark when the VF is gone, released, held by another VM, or its VM stopped', () => {
    const gone = labTopology();
    for (const pf of gone.pfs) pf.vfs = pf.vfs.filter((v) => v.address !== mark.vf);
    expect(marksStillStanding([mark], gone)).toEqual([]);
    const released = labTopology();
    released.pfs.flatMap((p) => p.vfs).find((v) => v.address === mark.vf)!.holder = null;
    expect(marksStillStanding([mark], released)).toEqual([]);
    expect(marksStillStanding([{ ...mark, vmId: '101' }], labTopology())).toEqual([]);
    const stopped = labTopology();
    stopped.vms.find((vm) => vm.id === '110')!.state = 'stopped';
    expect(marksStillStanding([mark], stopped)).toEqual([]);
  });

  it('keeps one mark per VF, the newest', () => {
    expect(mergeMarks([mark], [{ ...mark, operationId: 'op-2' }])).toEqual([{ ...mark, operationId: 'op-2' }]);
  });

  it('keeps marks per host in sessionStorage and ignores what it cannot read', () => {
    saveMarks('lab', [mark]);
    expect(loadMarks('lab')).toEqual([mark]);
    expect(loadMarks('other')).toEqual([]);
    sessionStorage.setItem('vfmap.forced.bad', '{not json');
    expect(loadMarks('bad')).toEqual([]);
    saveMarks('lab', []);
    expect(sessionStorage.getItem('vfmap.forced.lab')).toBeNull();
  });
});

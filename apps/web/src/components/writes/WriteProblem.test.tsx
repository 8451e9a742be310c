import { render, screen } from '@testing-library/react';
import { ProblemType, type ProblemAnswer } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/apiError';
import { WriteProblem } from './WriteProblem';

const url = 'http://127.0.0.1:7300/api/v1/hosts/h/pfs/0000:af:00.0/numvfs';
const shown = (problem: ProblemAnswer) => {
  render(<WriteProblem error={new ApiError({ kind: 'problem', url, problem })} />);
  return screen.getByRole('alert');
};

const partial = {
  type: ProblemType.partial,
  title: 'The VF count change stopped half-way',
  status: 500,
  errno: 'ENOMEM',
  path: '/sys/bus/pci/devices/0000:af:00.0/sriov_numvfs',
  pf: '0000:af:00.0',
  previousCount: 16,
  requested: 8,
  stoppedAt: { numVfs: null, wrote: '0', refused: '8' },
};

describe('WriteProblem', () => {
  it('says so when the agent could not read the count back after a half-done change', () => {
    const alert = shown(partial);
    expect(alert).toHaveTextContent('Stopped at: sriov_numvfs could not be read back. The agent wrote 0, then the kernel refused 8.');
    expect(alert).toHaveTextContent('errno ENOMEM');
  });

  it('shows a problem of a type it does not know by its title, detail, status and type only', () => {
    const alert = shown({ type: 'urn:vfmap:problem:quota', title: 'Over quota', status: 429, detail: 'Too many VFs today', stoppedAt: { numVfs: 1 } });
    expect(alert).toHaveTextContent('Over quota');
    expect(alert).toHaveTextContent('Too many VFs today');
    expect(alert).toHaveTextContent('HTTP 429 · urn:vfmap:problem:quota');
    expect(alert).not.toHaveTextContent('Stopped at');
  });
});

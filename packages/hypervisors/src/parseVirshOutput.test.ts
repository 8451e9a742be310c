import { describe, expect, it } from 'vitest';
import { parseDomainList, splitBatchOutput, vmStateOfDomstate } from './parseVirshOutput';

describe('parseDomainList', () => {
  it('reads uuid and name, names with spaces included, and skips the blank last line', () => {
    const text = '5b195428-7af3-44d2-9faf-309e8aa02d61 db-primary\n2a6ca84b-267b-4d0e-a129-ab56cebe819f lab vm 2\n\n';
    expect(parseDomainList(text)).toEqual([
      { uuid: '5b195428-7af3-44d2-9faf-309e8aa02d61', name: 'db-primary' },
      { uuid: '2a6ca84b-267b-4d0e-a129-ab56cebe819f', name: 'lab vm 2' },
    ]);
  });
});

describe('vmStateOfDomstate', () => {
  it('maps the words virsh prints', () => {
    expect(['running\n', 'shut off\n', 'paused', 'in shutdown', 'pmsuspended', 'crashed', 'no state'].map(vmStateOfDomstate)).toEqual([
      'running', 'stopped', 'paused', 'running', 'paused', 'unknown', 'unknown',
    ]);
  });
});

describe('splitBatchOutput', () => {
  it('cuts the output at the markers and leaves a failed command empty', () => {
    // What `virsh "echo @@m0; domstate A; echo @@m1; domstate GONE; echo @@m2; dumpxml A"` prints.
    const stdout = '@@m0\nshut off\n\n@@m1\n\n@@m2\n<domain>\n  <name>a</name>\n</domain>\n\n';
    expect(splitBatchOutput(stdout, ['@@m0', '@@m1', '@@m2', '@@m3'])).toEqual(['shut off', '', '<domain>\n  <name>a</name>\n</domain>', null]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseQmList, vmStateOfQmStatus } from './parseQmList';

// As qm prints it: printf "%10s %-20s %-10s %-10s %12.2f %-10s\n".
const output = [
  '      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID       ',
  '       100 web01                running    8192              32.00 41237     ',
  '       101 VM 101               stopped    2048               0.00 0         ',
  '      1002 db-primary-long-name paused     65536            200.00 5120      ',
  '',
].join('\n');

describe('parseQmList', () => {
  it('reads id, name, status and pid of each VM and skips the header', () => {
    expect(parseQmList(output)).toEqual([
      { vmid: '100', name: 'web01', status: 'running', pid: 41237 },
      { vmid: '101', name: 'VM 101', status: 'stopped', pid: null },
      { vmid: '1002', name: 'db-primary-long-name', status: 'paused', pid: 5120 },
    ]);
  });
  it('reads no VMs from empty output (qm prints nothing then)', () => {
    expect(parseQmList('')).toEqual([]);
  });
});

describe('vmStateOfQmStatus', () => {
  it('maps QMP states and calls the rest unknown', () => {
    expect(['running', 'stopped', 'paused', 'suspended', 'prelaunch'].map(vmStateOfQmStatus)).toEqual([
      'running',
      'stopped',
      'paused',
      'paused',
      'unknown',
    ]);
  });
});

describe('parseQmList: output that is not qm list', () => {
  it.each(['{"data": []}', '<?xml version="1.0"?><vms/>', 'ipcc_send_rec[1] failed: Connection refused', '\u0000\u00ff garbage'])('refuses %j rather than read no VMs from it', (text) => {
    expect(() => parseQmList(text)).toThrow(/not its table/);
  });
});

import { describe, expect, it } from 'vitest';
import { classText, cpulist, cpumask, hex4, modalias, parseCpulist, pciUevent, resourceLine, vfDeviceText } from './sysfsText';

// Values below are copied from the real kernel's tree in fixtures/realkernel.
const nvme = { vendor: 0x1b36, device: 0x0010, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, classCode: 0x010802 };

describe('attribute text as the kernel prints it', () => {
  it('prints ids with 0x and four digits, the class with six, sriov_vf_device bare', () => {
    expect(hex4(0x1b36)).toBe('0x1b36');
    expect(hex4(0x10)).toBe('0x0010');
    expect(classText(0x010802)).toBe('0x010802');
    expect(vfDeviceText(0x0010)).toBe('10');
    expect(vfDeviceText(0x1889)).toBe('1889');
  });

  it('prints modalias and uevent like the real NVMe PF 0000:01:00.0', () => {
    expect(modalias(nvme)).toBe('pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02');
    expect(pciUevent(nvme, '0000:01:00.0', 'nvme')).toBe(
      'DRIVER=nvme\nPCI_CLASS=10802\nPCI_ID=1B36:0010\nPCI_SUBSYS_ID=1AF4:1100\nPCI_SLOT_NAME=0000:01:00.0\n' +
        'MODALIAS=pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02\n',
    );
    expect(pciUevent(nvme, '0000:01:00.1', null).startsWith('PCI_CLASS=')).toBe(true);
  });

  it('prints cpumasks in 32-bit chunks, the first as wide as nr_cpu_ids needs', () => {
    expect(cpumask([0, 1], 2)).toBe('3');
    expect(cpumask(parseCpulist('0-19,40-59'), 80)).toBe('0000,0fffff00,000fffff');
    expect(cpumask(parseCpulist('20-39,60-79'), 80)).toBe('ffff,f00000ff,fff00000');
    expect(cpumask([], 64)).toBe('00000000,00000000');
  });

  it('round-trips cpulists', () => {
    expect(cpulist(parseCpulist('0-19,40-59'))).toBe('0-19,40-59');
    expect(cpulist([3, 1, 2, 7])).toBe('1-3,7');
  });

  it('prints resource lines as start, end and flags', () => {
    expect(resourceLine(0xfe000000n, 0x4000n, 0x140204)).toBe('0x00000000fe000000 0x00000000fe003fff 0x0000000000140204');
    expect(resourceLine(0n, 0n, 0)).toBe('0x0000000000000000 0x0000000000000000 0x0000000000000000');
  });
});

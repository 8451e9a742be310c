import { describe, expect, it } from 'vitest';
import { parsePciUevent } from './parseUevent';

/** uevent as the kernel prints it for the e810 PF 0000:18:00.0 (pci_uevent() after DRIVER=). */
const ICE_PF = 'DRIVER=ice\nPCI_CLASS=20000\nPCI_ID=8086:1592\nPCI_SUBSYS_ID=8086:0001\nPCI_SLOT_NAME=0000:18:00.0\nMODALIAS=pci:v00008086d00001592sv00008086sd00000001bc02sc00i00\n';

describe('parsePciUevent', () => {
  it('reads ids, class and driver as the id files would give them: lower case, class padded to six digits', () => {
    expect(parsePciUevent(ICE_PF, '0000:18:00.0')).toEqual({
      vendorId: '8086',
      deviceId: '1592',
      class: '020000',
      subsystem: { vendorId: '8086', deviceId: '0001' },
      driver: 'ice',
    });
    expect(parsePciUevent('PCI_CLASS=C0330\nPCI_ID=1B36:000D\nPCI_SLOT_NAME=10000:00:04.0\n', '10000:00:04.0')).toMatchObject({ vendorId: '1b36', deviceId: '000d', class: '0c0330' });
  });

  it('reads no driver when DRIVER= is not printed (nothing bound), and no subsystem when PCI_SUBSYS_ID is missing', () => {
    expect(parsePciUevent('PCI_CLASS=20000\nPCI_ID=8086:1889\nPCI_SLOT_NAME=0000:18:01.0\n', '0000:18:01.0')).toMatchObject({ driver: null, subsystem: null });
  });

  it('does not stand for the id files of another function: a hand-copied capture keeps the original PCI_SLOT_NAME', () => {
    expect(parsePciUevent(ICE_PF, '0000:18:00.1')).toBeNull();
    expect(parsePciUevent(ICE_PF.replace(/PCI_SLOT_NAME=.*\n/, ''), '0000:18:00.0')).toBeNull();
  });

  it('does not stand for them either when PCI_ID or PCI_CLASS is missing or malformed', () => {
    expect(parsePciUevent(ICE_PF.replace(/PCI_CLASS=.*\n/, ''), '0000:18:00.0')).toBeNull();
    expect(parsePciUevent(ICE_PF.replace('PCI_ID=8086:1592', 'PCI_ID=8086'), '0000:18:00.0')).toBeNull();
    expect(parsePciUevent(ICE_PF.replace('PCI_ID=8086:1592', 'PCI_ID=8086:xyz'), '0000:18:00.0')).toBeNull();
    expect(parsePciUevent(ICE_PF.replace('PCI_CLASS=20000', 'PCI_CLASS=1020000'), '0000:18:00.0')).toBeNull();
    expect(parsePciUevent('', '0000:18:00.0')).toBeNull();
  });
});

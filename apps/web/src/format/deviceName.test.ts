import { describe, expect, it } from 'vitest';
import { shortDeviceName, shortVendorName } from './deviceName';

describe('shortDeviceName', () => {
  it('takes the bracketed marketing name', () => {
    expect(shortDeviceName('MT2892 Family [ConnectX-6 Dx]', '15b3', '101d')).toBe('ConnectX-6 Dx');
  });
  it('drops the generic words around the model', () => {
    expect(shortDeviceName('Ethernet Controller E810-C for QSFP', '8086', '1592')).toBe('E810-C');
    expect(shortDeviceName('I350 Gigabit Network Connection', '8086', '1521')).toBe('I350');
    expect(shortDeviceName('82599ES 10-Gigabit SFI/SFP+ Network Connection', '8086', '10fb')).toBe('82599ES');
    expect(shortDeviceName('Ethernet Controller X710 for 10GbE SFP+', '8086', '1572')).toBe('X710');
  });
  it('falls back to the ids when pci.ids has no name', () => {
    expect(shortDeviceName(null, '1b36', '0010')).toBe('1b36:0010');
  });
});

describe('shortVendorName', () => {
  it('keeps the company word', () => {
    expect(shortVendorName('Intel Corporation')).toBe('Intel');
    expect(shortVendorName('Mellanox Technologies')).toBe('Mellanox');
    expect(shortVendorName(null)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { fullDeviceName, shortDeviceName, shortVendorName } from './deviceName';

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
    expect(shortVendorName('NVIDIA Corporation')).toBe('NVIDIA');
    expect(shortVendorName(null)).toBeNull();
  });

  it('drops the legal form with its comma and dots, leaving nothing dangling', () => {
    expect(shortVendorName('ASPEED Technology, Inc.')).toBe('ASPEED Technology');
    expect(shortVendorName('Broadcom Inc. and subsidiaries')).toBe('Broadcom');
    expect(shortVendorName('Huawei Technologies Co., Ltd.')).toBe('Huawei');
    expect(shortVendorName('Realtek Semiconductor Co., Ltd.')).toBe('Realtek');
    expect(shortVendorName('Samsung Electronics Co Ltd')).toBe('Samsung');
    expect(shortVendorName('Chelsio Communications Inc')).toBe('Chelsio Communications');
    expect(shortVendorName('Red Hat, Inc.')).toBe('Red Hat');
    expect(shortVendorName('Solarflare Communications')).toBe('Solarflare Communications');
    for (const name of ['ASPEED Technology, Inc.', 'Huawei Technologies Co., Ltd.', 'Red Hat, Inc.', 'Marvell Technology Group Ltd.']) {
      expect(shortVendorName(name)).not.toMatch(/[,.\s]$/);
    }
  });

  it('keeps the words inside the name: only a trailing legal form goes', () => {
    expect(shortVendorName('Intel Corporation Labs')).toBe('Intel Corporation Labs');
    expect(shortVendorName('Marvell Technology Group Ltd.')).toBe('Marvell Technology Group');
  });

  it("takes pci.ids' own short form in brackets", () => {
    expect(shortVendorName('Advanced Micro Devices, Inc. [AMD]')).toBe('AMD');
  });

  it('keeps a name that is nothing but a legal form', () => {
    expect(shortVendorName('Inc.')).toBe('Inc.');
  });
});

describe('fullDeviceName', () => {
  it('is pci.ids as it is, or the ids when it has no name', () => {
    expect(fullDeviceName('ASPEED Technology, Inc.', 'ASPEED Graphics Family', '1a03:2000')).toBe('ASPEED Technology, Inc. ASPEED Graphics Family');
    expect(fullDeviceName(null, null, '1b36:0010')).toBe('1b36:0010');
  });
});

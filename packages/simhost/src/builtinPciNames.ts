/**
 * Vendor and device names of every function the profiles have, as pci.ids
 * spells them (checked by builtinPciNames.test.ts). Used only when a machine has no pci.ids, so
 * that the demo still names its devices.
 */
export interface BuiltinVendor {
  name: string;
  devices: Readonly<Record<string, string>>;
}

export const builtinPciNames: ReadonlyMap<string, BuiltinVendor> = new Map<string, BuiltinVendor>([
  [
    '10de',
    {
      name: 'NVIDIA Corporation',
      devices: {
        '1eb8': 'TU104GL [Tesla T4]',
      },
    },
  ],
  [
    '144d',
    {
      name: 'Samsung Electronics Co Ltd',
      devices: {
        'a80a': 'NVMe SSD Controller PM9A1/PM9A3/980PRO',
      },
    },
  ],
  [
    '15b3',
    {
      name: 'Mellanox Technologies',
      devices: {
        '101d': 'MT2892 Family [ConnectX-6 Dx]',
        '101e': 'ConnectX Family mlx5Gen Virtual Function',
      },
    },
  ],
  [
    '1a03',
    {
      name: 'ASPEED Technology, Inc.',
      devices: {
        '1150': 'AST1150 PCI-to-PCI Bridge',
        '2000': 'ASPEED Graphics Family',
      },
    },
  ],
  [
    '1af4',
    {
      name: 'Red Hat, Inc.',
      devices: {
        '1009': 'Virtio filesystem',
      },
    },
  ],
  [
    '1b36',
    {
      name: 'Red Hat, Inc.',
      devices: {
        '000c': 'QEMU PCIe Root port',
        '0010': 'QEMU NVM Express Controller',
      },
    },
  ],
  [
    '8086',
    {
      name: 'Intel Corporation',
      devices: {
        '10c9': '82576 Gigabit Network Connection',
        '10ca': '82576 Virtual Function',
        '10d3': '82574L Gigabit Network Connection',
        '10ed': '82599 Ethernet Controller Virtual Function',
        '10fb': '82599ES 10-Gigabit SFI/SFP+ Network Connection',
        '1533': 'I210 Gigabit Network Connection',
        '154c': 'Ethernet Virtual Function 700 Series',
        '1572': 'Ethernet Controller X710 for 10GbE SFP+',
        '1592': 'Ethernet Controller E810-C for QSFP',
        '1889': 'Ethernet Adaptive Virtual Function',
        '2014': 'Sky Lake-E Ubox Registers',
        '2020': 'Sky Lake-E DMI3 Registers',
        '2021': 'Sky Lake-E CBDMA Registers',
        '2024': 'Sky Lake-E MM/Vt-d Configuration Registers',
        '2025': 'Sky Lake-E RAS',
        '2026': 'Sky Lake-E IOAPIC',
        '2030': 'Sky Lake-E PCI Express Root Port A',
        '2031': 'Sky Lake-E PCI Express Root Port B',
        '2032': 'Sky Lake-E PCI Express Root Port C',
        '2033': 'Sky Lake-E PCI Express Root Port D',
        '2034': 'Sky Lake-E VT-d',
        '2035': 'Sky Lake-E RAS Configuration Registers',
        '2036': 'Sky Lake-E IOxAPIC Configuration Registers',
        '2040': 'Sky Lake-E Integrated Memory Controller',
        '2041': 'Sky Lake-E Integrated Memory Controller',
        '2042': 'Sky Lake-E Integrated Memory Controller',
        '2043': 'Sky Lake-E Integrated Memory Controller',
        '2044': 'Sky Lake-E Integrated Memory Controller',
        '2045': 'Sky Lake-E LM Channel 1',
        '2046': 'Sky Lake-E LMS Channel 1',
        '2047': 'Sky Lake-E LMDP Channel 1',
        '204c': 'Sky Lake-E M3KTI Registers',
        '204d': 'Sky Lake-E M3KTI Registers',
        '204e': 'Sky Lake-E M3KTI Registers',
        '2054': 'Sky Lake-E CHA Registers',
        '2055': 'Sky Lake-E CHA Registers',
        '2056': 'Sky Lake-E CHA Registers',
        '2057': 'Sky Lake-E CHA Registers',
        '2058': 'Sky Lake-E KTI 0',
        '2059': 'Sky Lake-E UPI Registers',
        '2068': 'Sky Lake-E DDRIO Registers',
        '2088': 'Sky Lake-E DDRIO Registers',
        '2918': '82801IB (ICH9) LPC Interface Controller',
        '2922': '82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]',
        '2930': '82801I (ICH9 Family) SMBus Controller',
        '29c0': '82G33/G31/P35/P31 Express DRAM Controller',
        'a182': 'C620 Series Chipset Family SATA Controller [AHCI mode]',
        'a190': 'C620 Series Chipset Family PCI Express Root Port #1',
        'a195': 'C620 Series Chipset Family PCI Express Root Port #6',
        'a1a1': 'C620 Series Chipset Family Power Management Controller',
        'a1a3': 'C620 Series Chipset Family SMBus',
        'a1a4': 'C620 Series Chipset Family SPI Controller',
        'a1af': 'C620 Series Chipset Family USB 3.0 xHCI Controller',
        'a1b1': 'C620 Series Chipset Family Thermal Subsystem',
        'a1ba': 'C620 Series Chipset Family MEI Controller #1',
        'a1c2': 'C622 Series Chipset LPC/eSPI Controller',
        'a1d2': 'C620 Series Chipset Family SSATA Controller [AHCI mode]',
      },
    },
  ],
]);

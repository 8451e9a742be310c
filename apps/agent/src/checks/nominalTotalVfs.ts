/**
 * VFs per PF that a card's silicon offers with its default firmware, where a firmware or module
 * setting commonly lowers it. Keyed by vendor:device of the PF. Sources: the vendors' datasheets
 * and the Linux drivers' caps (igb 7, ixgbe 63, i40e 64 per port of a 2-port X710, ice 256 per
 * device split over ports). Only cards whose limit is known are listed; the rest are not judged.
 */
export const NOMINAL_TOTAL_VFS: Readonly<Record<string, number>> = {
  '8086:10c9': 7, // 82576: 8 in silicon, igb keeps one pool for the PF
  '8086:1521': 7, // I350
  '8086:10fb': 63, // 82599 SFP+
  '8086:1528': 63, // X540
  '8086:1563': 63, // X550
  '8086:1572': 64, // X710 SFP+ (per port of a 2-port card)
  '8086:1583': 64, // XL710 QSFP+
  '8086:1592': 128, // E810-C QSFP (2 ports: 256 per device)
  '8086:159b': 128, // E810-XXV SFP
  '15b3:1017': 127, // ConnectX-5 (NUM_OF_VFS in the card's firmware, mlxconfig)
  '15b3:1019': 127, // ConnectX-5 Ex
  '15b3:101d': 127, // ConnectX-6 Dx
  '15b3:1021': 127, // ConnectX-7
};

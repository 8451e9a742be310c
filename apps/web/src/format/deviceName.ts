/**
 * pci.ids names are long ("Ethernet Controller E810-C for QSFP", "MT2892 Family [ConnectX-6 Dx]").
 * A card label needs the part a person recognises on the bracket: the marketing name in square
 * brackets when pci.ids has one, else the name without the generic words around the model.
 */
const GENERIC = [
  /\bEthernet (Controller|Adapter|Connection)\b/gi,
  /\b(Gigabit|10-Gigabit|10GbE|Network) (Network )?Connection\b/gi,
  /\bNetwork Connection\b/gi,
  // "… for 10GbE SFP+", "… for QSFP": the cage, not the chip.
  /\sfor\s.*$/gi,
  /\b\d+-Gigabit\b/gi,
  /\bSFI\/SFP\+/gi,
  /\bFamily\b/gi,
];

export function shortDeviceName(deviceName: string | null, vendorId: string, deviceId: string): string {
  if (!deviceName) return `${vendorId}:${deviceId}`;
  const bracket = /\[([^\]]+)\]/.exec(deviceName);
  if (bracket?.[1]) return bracket[1].trim();
  let name = deviceName;
  for (const re of GENERIC) name = name.replace(re, ' ');
  name = name.replace(/\s+/g, ' ').trim();
  return name || deviceName;
}

/** "Intel Corporation" → "Intel": the company word a label has room for. */
export function shortVendorName(vendorName: string | null): string | null {
  if (!vendorName) return null;
  return vendorName.replace(/\b(Corporation|Corp\.?|Co\.?|Ltd\.?|Inc\.?|Technologies|Electronics|Semiconductor|Limited)\b/g, '').replace(/[\s,]+$/, '').replace(/\s+/g, ' ').trim() || vendorName;
}

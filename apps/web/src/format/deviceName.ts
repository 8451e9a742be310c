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

/**
 * Legal-form words at the end of a pci.ids vendor name, dropped the way people who read lspci
 * say the name: "Intel Corporation" → "Intel", "Mellanox Technologies" → "Mellanox", "Broadcom
 * Inc. and subsidiaries" → "Broadcom", "Huawei Technologies Co., Ltd." → "Huawei". Only at the
 * end, and with the comma before them: "ASPEED Technology, Inc." → "ASPEED Technology".
 */
const VENDOR_SUFFIX = /(?:,?\s+|,)(?:Corporation|Corp\.?|Incorporated|Inc\.?|Co\.?,?\s*Ltd\.?|Company|Co\.?|Ltd\.?|Limited|LLC|GmbH|AG|S\.A\.|B\.V\.|Technologies|Semiconductors?|Electronics|and subsidiaries)\s*$/i;

/**
 * "Intel Corporation" → "Intel": the company as a label has room for it. A name pci.ids gives a
 * short form in brackets ("Advanced Micro Devices, Inc. [AMD]") is that form. Where a short
 * name is shown, the full one goes in its title (hover).
 */
export function shortVendorName(vendorName: string | null): string | null {
  if (!vendorName) return null;
  const bracket = /\[([^\]]+)\]\s*$/.exec(vendorName);
  if (bracket?.[1]?.trim()) return bracket[1].trim();
  let name = vendorName.replace(/\s+/g, ' ').trim();
  for (let previous = ''; previous !== name; ) {
    previous = name;
    name = name.replace(VENDOR_SUFFIX, '').replace(/[\s,]+$/, '');
  }
  return name || vendorName.trim();
}

/** "Intel Corporation Ethernet Controller E810-C for QSFP": pci.ids as it is, for a title. */
export function fullDeviceName(vendorName: string | null, deviceName: string | null, ids: string): string {
  return [vendorName, deviceName].filter(Boolean).join(' ') || ids;
}

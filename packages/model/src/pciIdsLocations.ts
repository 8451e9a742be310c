/**
 * Where a host keeps the PCI ID database, relative to its root, in the order they are tried. Debian's
 * `pci.ids` package (which pciutils pulls in) installs /usr/share/misc/pci.ids; `hwdata` (Fedora,
 * and Debian when installed) /usr/share/hwdata/pci.ids. The one list: the sysfs reader, the simulated
 * host, the tests and scripts/ensure-test-deps.sh (which reads this line with grep: keep it one line) use it.
 */
export const PCI_IDS_LOCATIONS: readonly string[] = ['usr/share/misc/pci.ids', 'usr/share/hwdata/pci.ids'];

/** The absolute candidates under `root` ('/' on a host). */
export function pciIdsCandidates(root = '/'): string[] {
  const base = root.endsWith('/') ? root : `${root}/`;
  return PCI_IDS_LOCATIONS.map((location) => `${base}${location}`);
}

import { existsSync, readFileSync } from 'node:fs';
import { pciIdsCandidates } from '@vfmap/model';
import { builtinPciNames } from './builtinPciNames';

export interface PciIdsWanted {
  /** vendor → device ids (4 hex digits, lower case). */
  devices: Map<string, Set<string>>;
  /** `vendor device` → `subvendor subdevice` pairs. */
  subsystems: Map<string, Set<string>>;
  /** Class codes (6 hex digits). */
  classes: Set<string>;
}

/** This machine's pci.ids: the first of model's PCI_IDS_LOCATIONS that exists, or null. */
export function systemPciIds(): string | null {
  return pciIdsCandidates('/').find((path) => existsSync(path)) ?? null;
}

/**
 * A pci.ids holding the real lines for the devices a profile has: each vendor line, the device
 * lines under it, the subsystem lines of the subsystems in use, the vendor lines those subsystems
 * name, and the class/subclass/prog-if lines — copied verbatim from `source` (this machine's
 * pci.ids, see systemPciIds). Without that file, the built-in names give the same vendor and
 * device lines, so the demo still names its devices.
 */
export function extractPciIds(wanted: PciIdsWanted, source: string | null = systemPciIds()): string {
  const header = '# pci.ids of a simulated vfmap host: the lines for its devices';
  if (source === null || !existsSync(source)) return `${header} (built-in names; ${source ?? 'no pci.ids'} was absent)\n\n${builtinLines(wanted)}`;
  const text = readFileSync(source, 'utf8');
  const subVendors = new Set([...wanted.subsystems.values()].flatMap((s) => [...s].map((pair) => pair.slice(0, 4))));
  const out: string[] = [`${header}, copied from ${source}`, ''];
  let vendor: string | null = null;
  let device: string | null = null;
  let inClasses = false;
  let cls: string | null = null;
  let sub: string | null = null;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('C ')) {
      inClasses = true;
      cls = line.slice(2, 4);
      sub = null;
      if ([...wanted.classes].some((c) => c.startsWith(cls!))) out.push(line);
      continue;
    }
    if (inClasses) {
      if (line.startsWith('\t\t')) {
        if (cls && sub && wanted.classes.has(`${cls}${sub}${line.slice(2, 4)}`)) out.push(line);
      } else if (line.startsWith('\t')) {
        sub = line.slice(1, 3);
        if ([...wanted.classes].some((c) => c.startsWith(`${cls}${sub}`))) out.push(line);
      } else {
        inClasses = false;
      }
      if (inClasses) continue;
    }
    if (!line.startsWith('\t')) {
      vendor = line.slice(0, 4);
      device = null;
      if (wanted.devices.has(vendor) || subVendors.has(vendor)) out.push(line);
      continue;
    }
    if (vendor === null) continue;
    if (line.startsWith('\t\t')) {
      if (device && wanted.subsystems.get(`${vendor} ${device}`)?.has(line.slice(2, 11))) out.push(line);
      continue;
    }
    device = line.slice(1, 5);
    if (wanted.devices.get(vendor)?.has(device)) out.push(line);
  }
  return `${out.join('\n')}\n`;
}

function builtinLines(wanted: PciIdsWanted): string {
  const lines: string[] = [];
  for (const [vendor, devices] of [...wanted.devices].sort()) {
    const v = builtinPciNames.get(vendor);
    if (!v) continue;
    lines.push(`${vendor}  ${v.name}`);
    for (const d of [...devices].sort()) {
      const name = v.devices[d];
      if (name) lines.push(`\t${d}  ${name}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itNeeds, pciIds, systemPciIdsFile } from '../../../test/needs';
import { builtinPciNames } from './builtinPciNames';
import { profilePciIds } from './profileFacts';
import { profiles } from './profiles';

/** vendor → name and `vendor device` → name, from a pci.ids text. */
function parsePciIds(text: string): Map<string, string> {
  const names = new Map<string, string>();
  let vendor = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('C ')) break;
    if (line === '' || line.startsWith('#') || line.startsWith('\t\t')) continue;
    if (!line.startsWith('\t')) {
      vendor = line.slice(0, 4);
      names.set(vendor, line.slice(6));
    } else {
      names.set(`${vendor} ${line.slice(1, 5)}`, line.slice(7));
    }
  }
  return names;
}

describe('the built-in names', () => {
  it('cover every vendor and device the profiles have, VFs included', () => {
    for (const profile of Object.values(profiles)) {
      for (const [vendor, devices] of profilePciIds(profile).devices) {
        for (const device of devices) {
          expect({ profile: profile.name, vendor, device, known: builtinPciNames.get(vendor)?.devices[device] !== undefined }).toMatchObject({ known: true });
        }
      }
    }
  });

  itNeeds([pciIds], 'spell every name as this machine’s pci.ids does', () => {
    const system = parsePciIds(readFileSync(systemPciIdsFile!, 'utf8'));
    for (const [vendor, v] of builtinPciNames) {
      expect(v.name).toBe(system.get(vendor));
      for (const [device, name] of Object.entries(v.devices)) expect({ vendor, device, name }).toEqual({ vendor, device, name: system.get(`${vendor} ${device}`) });
    }
  });
});

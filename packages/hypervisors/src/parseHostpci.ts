import { splitPropertyString } from './pvePropertyString';
import { normalizePvePciId } from './pvePciId';
import { notParsed, parsed, type ParseResult } from './parseResult';

/**
 * One `hostpciN` value of a Proxmox VM config, e.g.
 * `0000:01:00.1,pcie=1`, `host=0000:01:00.2;0000:01:00.3`, `0000:3b:00,x-vga=1`,
 * `mapping=nic-vfs,pcie=1,rombar=0`.
 */
export interface Hostpci {
  /**
   * The devices the entry passes, as sysfs addresses or slots (a Proxmox id without a
   * function, `0000:01:00`, passes every function of the device). Null with `mapping`.
   */
  host: string[] | null;
  /** The id of a cluster-wide mapping in /etc/pve/mapping/pci.cfg. Null with `host`. */
  mapping: string | null;
  /** Every other option as written: pcie, rombar, x-vga, romfile, mdev, legacy-igd, vendor-id, ... */
  options: Record<string, string>;
}

/**
 * Parses a hostpci value as qemu-server's `pve-qm-hostpci` format reads it: the default key
 * is `host` (`HOSTPCIID[;HOSTPCIID2...]`), `mapping=` is the alternative, and setting both
 * or neither is an error ("Either 'host' or 'mapping' must be set.").
 */
export function parseHostpci(value: string): ParseResult<Hostpci> {
  let host: string | null = null;
  let mapping: string | null = null;
  const options: Record<string, string> = {};
  for (const part of splitPropertyString(value)) {
    const key = part.key ?? 'host';
    if (key === 'host') {
      if (host !== null) return notParsed(`'host' is given twice in '${value}'`);
      host = part.value;
    } else if (key === 'mapping') {
      if (mapping !== null) return notParsed(`'mapping' is given twice in '${value}'`);
      mapping = part.value;
    } else {
      options[key] = part.value;
    }
  }
  if (host !== null && mapping !== null) return notParsed(`cannot set both 'host' and 'mapping' in '${value}'`);
  if (mapping !== null) {
    if (!/^[a-z][a-z0-9_-]*$/i.test(mapping)) return notParsed(`'${mapping}' is not a mapping id`);
    return parsed({ host: null, mapping, options });
  }
  if (host === null) return notParsed(`either 'host' or 'mapping' must be set in '${value}'`);
  const ids = parsePciIdList(host);
  if (!ids.ok) return ids;
  return parsed({ host: ids.value, mapping: null, options });
}

/** `0000:01:00.1;01:00.2` → the normalized ids, or the first one that is not a PCI id. */
export function parsePciIdList(list: string): ParseResult<string[]> {
  const ids: string[] = [];
  for (const raw of list.split(';')) {
    const id = normalizePvePciId(raw);
    if (id === null) return notParsed(`'${raw}' is not a PCI id (expected [domain:]bus:dev[.func])`);
    ids.push(id);
  }
  return parsed(ids);
}


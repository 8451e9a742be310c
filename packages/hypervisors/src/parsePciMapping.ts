import { parsePciIdList } from './parseHostpci';
import { splitPropertyString } from './pvePropertyString';

/** One node's device for a mapping: a `map node=...,path=...` line. */
export interface PciMappingEntry {
  node: string;
  /**
   * The devices this entry passes together, normalized (a path without function is the
   * whole device). pve-cluster allows a `;` list here.
   */
  path: string[];
  /** `vendor:device` Proxmox expects, to notice changed hardware. */
  id: string | null;
  subsystemId: string | null;
  iommuGroup: number | null;
  description: string | null;
}

export interface PciMapping {
  id: string;
  description: string | null;
  mdev: boolean;
  maps: PciMappingEntry[];
}

export interface PciMappingFile {
  mappings: Map<string, PciMapping>;
  problems: string[];
}

/**
 * Parses `/etc/pve/mapping/pci.cfg`, a PVE SectionConfig file: a line with the mapping id,
 * then indented `key value` lines up to a blank line, where `map` may repeat (one per node,
 * or several per node: a pool, "the first available will then be chosen on guest start").
 *
 *     nic-vfs
 *         map node=pve1,path=0000:3b:02.4,id=8086:1889,iommugroup=71
 *         description E810 VFs
 */
export function parsePciMapping(text: string): PciMappingFile {
  const mappings = new Map<string, PciMapping>();
  const problems: string[] = [];
  let current: PciMapping | null = null;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#/.test(line)) continue;
    if (/^\s*$/.test(line)) {
      current = null;
      continue;
    }
    const property = /^\s+(\S+)(?:\s+(.*\S))?\s*$/.exec(line);
    if (property) {
      if (!current) {
        problems.push(`line ${i + 1}: property outside a mapping`);
        continue;
      }
      const [, key, value = ''] = property;
      if (key === 'map') {
        const entry = parseMapEntry(value);
        if (entry.ok) current.maps.push(entry.value);
        else problems.push(`line ${i + 1}: mapping '${current.id}': ${entry.error}`);
      } else if (key === 'description') {
        current.description = value;
      } else if (key === 'mdev') {
        current.mdev = /^(1|on|yes|true)$/i.test(value);
      }
      continue;
    }
    const header = /^(\S+)\s*$/.exec(line);
    if (header && /^[a-z][a-z0-9_-]*$/i.test(header[1]!)) {
      current = { id: header[1]!, description: null, mdev: false, maps: [] };
      if (mappings.has(current.id)) problems.push(`line ${i + 1}: mapping '${current.id}' is defined twice; the later one counts`);
      mappings.set(current.id, current);
      continue;
    }
    current = null;
    problems.push(`line ${i + 1}: cannot read '${line}'`);
  }
  return { mappings, problems };
}

type EntryResult = { ok: true; value: PciMappingEntry } | { ok: false; error: string };

function parseMapEntry(value: string): EntryResult {
  const props = new Map<string, string>();
  for (const part of splitPropertyString(value)) {
    if (part.key === null) return { ok: false, error: `'${part.value}' has no key` };
    props.set(part.key, part.value);
  }
  const node = props.get('node');
  const path = props.get('path');
  if (!node) return { ok: false, error: 'map without node=' };
  if (!path) return { ok: false, error: 'map without path=' };
  const ids = parsePciIdList(path);
  if (!ids.ok) return ids;
  const group = props.get('iommugroup');
  return {
    ok: true,
    value: {
      node,
      path: ids.value,
      id: props.get('id') ?? null,
      subsystemId: props.get('subsystem-id') ?? null,
      iommuGroup: group !== undefined && /^\d+$/.test(group) ? Number(group) : null,
      description: props.get('description') ?? null,
    },
  };
}

/** The entries of mapping `id` for cluster node `node` (PVE::Mapping::PCI::get_node_mapping). */
export function nodeMapping(file: PciMappingFile, id: string, node: string): PciMappingEntry[] | null {
  const mapping = file.mappings.get(id);
  if (!mapping) return null;
  return mapping.maps.filter((m) => m.node === node);
}

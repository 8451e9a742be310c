/**
 * A Proxmox VM config (`/etc/pve/qemu-server/<vmid>.conf`) split the way qemu-server's
 * parse_vm_config splits it. Only the current configuration and its [PENDING] changes say
 * what the VM holds; snapshot sections (`[before-upgrade]`) are old copies of the config and
 * must not count, so their content is not kept at all.
 */
export interface QemuConf {
  /** The `#` comment lines at the top (the VM's description in the GUI), decoded. */
  description: string | null;
  /** The main section: what the VM runs with (or will start with when stopped). */
  current: Map<string, string>;
  /** [PENDING] values: set while the VM runs, applied by Proxmox at its next start. */
  pending: Map<string, string>;
  /** [PENDING] `delete:` keys (`!key` forces); still in `current` until the next start. */
  pendingDelete: { key: string; force: boolean }[];
  /** Names of snapshot sections, in file order. */
  snapshots: string[];
  /** Lines that could not be read; the rest of the file still counts. */
  problems: string[];
}

type Section = { type: 'main' } | { type: 'pending' } | { type: 'snapshot'; name: string } | { type: 'ignored' };

export function parseQemuConf(text: string): QemuConf {
  const conf: QemuConf = { description: null, current: new Map(), pending: new Map(), pendingDelete: [], snapshots: [], problems: [] };
  const description: string[] = [];
  let section: Section = { type: 'main' };

  for (const line of text.split('\n')) {
    if (/^\s*$/.test(line)) continue;

    if (/^\[PENDING\]\s*$/i.test(line)) {
      section = { type: 'pending' };
      continue;
    }
    // qemu-server keeps cloud-init and fleecing state in [special:*] sections: not config.
    if (/^\[special:[^\]]*\]\s*$/i.test(line)) {
      section = { type: 'ignored' };
      continue;
    }
    const snapshot = /^\[([a-z][a-z0-9_-]+)\]\s*$/i.exec(line);
    if (snapshot) {
      section = { type: 'snapshot', name: snapshot[1]! };
      conf.snapshots.push(snapshot[1]!);
      continue;
    }
    const unknown = /^\[([^\]]*)\]\s*$/.exec(line);
    if (unknown) {
      section = { type: 'ignored' };
      conf.problems.push(`skipping unknown section '${unknown[1]}'`);
      continue;
    }
    if (section.type === 'snapshot' || section.type === 'ignored') continue;

    const comment = /^#(.*)$/.exec(line);
    if (comment) {
      if (section.type === 'main') description.push(decodeText(comment[1]!));
      continue;
    }
    const del = /^delete:\s*(.*\S)\s*$/.exec(line);
    if (del) {
      if (section.type === 'pending') conf.pendingDelete.push(...parsePendingDelete(del[1]!));
      else conf.problems.push("'delete' is only allowed in [PENDING]");
      continue;
    }
    const kv = /^([a-z][a-z_-]*\d*):\s*(.+?)\s*$/.exec(line);
    if (kv) {
      const target = section.type === 'pending' ? conf.pending : conf.current;
      if (kv[1] === 'description' && section.type === 'main') description.push(decodeText(kv[2]!));
      else target.set(kv[1]!, kv[2]!);
      continue;
    }
    conf.problems.push(`unable to parse config line: ${line}`);
  }

  const joined = description.join('\n').replace(/\s+$/, '');
  conf.description = description.length > 0 ? joined : null;
  return conf;
}

/** `hostpci1,!net0;scsi2` → keys with their force flag (PVE::AbstractConfig::parse_pending_delete). */
export function parsePendingDelete(value: string): { key: string; force: boolean }[] {
  return value
    .replace(/[,;]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((entry) => entry !== '')
    .map((entry) => (entry.startsWith('!') ? { key: entry.slice(1), force: true } : { key: entry, force: false }));
}

/** PVE writes the description percent-encoded where needed (PVE::Tools::encode_text). */
function decodeText(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

import { isIPv4, isIPv6 } from 'node:net';
import { parseMembers } from '../fleet/sources/proxmoxMembers';
import type { HostFiles } from './hostFiles';

/** The address a Proxmox node is known by, where it was read, and the interface that holds it on this host. */
export interface NodeAddress {
  node: string;
  ip: string;
  /** Where the address was read: `.members` (the cluster's nodelist) or `/etc/hosts` (a standalone node). */
  from: string;
  /** The interface holding the address; null when no interface of this host does. */
  iface: string | null;
  /** What showed the interface: the connected route or if_inet6 line. */
  evidence: string | null;
}

/**
 * The address this Proxmox node is known by — its `ip` in pmxcfs' `/etc/pve/.members`, or, on a
 * standalone node (whose .members has no nodelist), the address `/etc/hosts` gives its name, as
 * Proxmox itself resolves it — and the interface that holds it: for IPv4 the interface of the
 * connected route whose subnet contains it (the kernel adds one for each address), confirmed by
 * `/proc/net/fib_trie` listing it as LOCAL when that file can be read; for IPv6 its line in
 * `/proc/net/if_inet6`. Null when this is not a Proxmox node or its address cannot be told.
 */
export function nodeAddress(files: HostFiles): NodeAddress | null {
  const { paths } = files;
  const text = files.text(paths.pveMembers);
  if (text === null) return null;
  let members;
  try {
    members = parseMembers(text, paths.shown(paths.pveMembers));
  } catch {
    return null;
  }
  const node = members.nodename;
  const listed = members.nodes.find((n) => n.name === node)?.ip ?? null;
  const ip = listed ?? hostsAddress(files.text(paths.etcHosts), node);
  if (ip === null) return null;
  const from = listed !== null ? paths.shown(paths.pveMembers) : paths.shown(paths.etcHosts);
  const held = isIPv4(ip) ? ipv4Interface(files, ip) : ipv6Interface(files, ip);
  return { node, ip, from, iface: held?.iface ?? null, evidence: held?.line ?? null };
}

/** The first non-loopback address /etc/hosts gives `name` (Proxmox's installer writes `<ip> <fqdn> <name>`). */
export function hostsAddress(text: string | null, name: string): string | null {
  if (text === null) return null;
  for (const raw of text.split('\n')) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || !names.some((n) => n === name || n.split('.')[0] === name)) continue;
    if (address.startsWith('127.') || address === '::1') continue;
    if (isIPv4(address) || isIPv6(address)) return address;
  }
  return null;
}

/** A dotted quad as a number. */
function ipv4Value(ip: string): number {
  return ip.split('.').reduce((v, part) => ((v << 8) | Number(part)) >>> 0, 0);
}

/** /proc/net/route prints addresses in host byte order: on the little-endian hosts vfmap runs on, the bytes reversed. */
function routeValue(hex: string): number {
  const n = Number.parseInt(hex, 16);
  return (((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | ((n >>> 24) & 0xff)) >>> 0;
}

function ipv4Interface(files: HostFiles, ip: string): { iface: string; line: string } | null {
  const trie = files.text(files.paths.fibTrie);
  // fib_trie lists each local address as "|-- <ip>" followed by "/32 host LOCAL".
  if (trie !== null && !new RegExp(`\\|-- ${ip.replace(/\./g, '\\.')}\\n\\s+/32 host LOCAL`).test(trie)) return null;
  const route = files.text(files.paths.netRoute);
  if (route === null) return null;
  const value = ipv4Value(ip);
  let best: { iface: string; line: string; mask: number } | null = null;
  for (const line of route.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [iface, destination, gateway, flags, , , , maskHex] = fields;
    // The connected route of an address: up (RTF_UP), no gateway, not the default route.
    if ((Number.parseInt(flags!, 16) & 0x1) === 0 || gateway !== '00000000' || maskHex === '00000000') continue;
    const mask = routeValue(maskHex!);
    if (((value & mask) >>> 0) !== routeValue(destination!)) continue;
    if (best === null || mask > best.mask) best = { iface: iface!, line: `${iface} ${destination} mask ${maskHex}`, mask };
  }
  return best && { iface: best.iface, line: best.line };
}

/** The 32 hex digits if_inet6 prints for an IPv6 address. */
function ipv6Hex(ip: string): string {
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = ip.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return all.map((g: string) => g.padStart(4, '0')).join('');
}

function ipv6Interface(files: HostFiles, ip: string): { iface: string; line: string } | null {
  const text = files.text(files.paths.ifInet6);
  if (text === null) return null;
  const hex = ipv6Hex(ip);
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 6 && fields[0] === hex) return { iface: fields[5]!, line: line.trim() };
  }
  return null;
}

#!/usr/bin/env node
// A STAND-IN for Proxmox VE's `qm`, for tests only. The real qm is Perl on top of pmxcfs and
// qemu-server and cannot run outside a Proxmox node, so the Proxmox adapter's tests run this
// instead. It implements exactly what the adapter uses, the way qemu-server does it
// (PVE/API2/Qemu.pm update_vm_api, PVE/QemuServer.pm parse_vm_config/write_vm_config):
//
//   qm list
//   qm set <vmid> --hostpciN <value> [--digest <sha1>]
//   qm set <vmid> --delete <key>[,<key>...] [--digest <sha1>]
//
// on ROOT/etc/pve/qemu-server/<vmid>.conf, where ROOT is $VFMAP_QM_STANDIN_ROOT. A VM runs
// when ROOT/var/run/qemu-server/<vmid>.pid names a live process. As with the real qm, a change
// to a running VM goes to [PENDING] (qemu-server cannot hot-plug hostpci), a deletion on a
// running VM becomes `delete: hostpciN` in [PENDING], and a stopped VM's config changes at once.
// The file is rewritten as qemu-server writes it: sorted keys, [PENDING], then snapshots.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.env.VFMAP_QM_STANDIN_ROOT;
if (!root) die('qm stand-in: VFMAP_QM_STANDIN_ROOT is not set', 2);
const confDir = join(root, 'etc/pve/qemu-server');
const pidDir = join(root, 'var/run/qemu-server');

function die(message, status = 255) {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

function nodename() {
  try {
    return readFileSync(join(root, 'etc/hostname'), 'utf8').split('\n')[0].trim().split('.')[0];
  } catch {
    return 'localhost';
  }
}

function runningPid(vmid) {
  let pid;
  try {
    pid = Number.parseInt(readFileSync(join(pidDir, `${vmid}.pid`), 'utf8'), 10);
  } catch {
    return null;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

// --- parse_vm_config / write_vm_config, reduced to what a config file holds -----------------

function parseConf(text) {
  const conf = { comments: [], values: {}, pending: null, special: [], snapshots: [] };
  let section = conf;
  for (const line of text.split('\n')) {
    if (/^\s*$/.test(line)) continue;
    if (/^\[PENDING\]\s*$/i.test(line)) {
      section = conf.pending = { comments: [], values: {} };
      continue;
    }
    let m = /^\[(special:[^\]]*)\]\s*$/i.exec(line);
    if (m) {
      section = { name: m[1], comments: [], values: {} };
      conf.special.push(section);
      continue;
    }
    m = /^\[([a-z][a-z0-9_-]+)\]\s*$/i.exec(line);
    if (m) {
      section = { name: m[1], comments: [], values: {} };
      conf.snapshots.push(section);
      continue;
    }
    if (line.startsWith('#')) {
      section.comments.push(line);
      continue;
    }
    m = /^([a-z][a-z_-]*\d*):\s*(.+?)\s*$/.exec(line);
    if (m) section.values[m[1]] = m[2];
  }
  return conf;
}

function sectionText(section) {
  let out = section.comments.map((c) => `${c}\n`).join('');
  for (const key of Object.keys(section.values).sort()) out += `${key}: ${section.values[key]}\n`;
  return out;
}

function writeConf(conf) {
  let out = sectionText(conf);
  if (conf.pending && Object.keys(conf.pending.values).length > 0) out += `\n[PENDING]\n${sectionText(conf.pending)}`;
  for (const s of [...conf.special].sort((a, b) => a.name.localeCompare(b.name))) out += `\n[${s.name}]\n${sectionText(s)}`;
  for (const s of [...conf.snapshots].sort((a, b) => a.name.localeCompare(b.name))) out += `\n[${s.name}]\n${sectionText(s)}`;
  return out;
}

// --- PVE::AbstractConfig pending helpers ------------------------------------------------------

function pendingDeletes(conf) {
  const raw = conf.pending?.values.delete ?? '';
  return raw.replace(/[,;]/g, ' ').trim().split(/\s+/).filter(Boolean);
}

function setPendingDeletes(conf, keys) {
  conf.pending ??= { comments: [], values: {} };
  if (keys.length > 0) conf.pending.values.delete = [...new Set(keys)].sort().join(',');
  else delete conf.pending.values.delete;
}

function cleanupPending(conf) {
  if (!conf.pending) return;
  for (const [key, value] of Object.entries(conf.pending.values)) {
    if (key !== 'delete' && conf.values[key] === value) delete conf.pending.values[key];
  }
  setPendingDeletes(conf, pendingDeletes(conf).filter((k) => k.replace(/^!/, '') in conf.values));
}

function applyPending(conf) {
  if (!conf.pending) return;
  for (const key of pendingDeletes(conf)) delete conf.values[key.replace(/^!/, '')];
  for (const [key, value] of Object.entries(conf.pending.values)) if (key !== 'delete') conf.values[key] = value;
  conf.pending = null;
}

// --- the hostpci format qemu-server checks (pve-qm-hostpci) ----------------------------------

const PCIID = '(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?';
function checkHostpci(key, value) {
  const parts = value.split(',');
  const host = parts[0].includes('=') ? parts.find((p) => p.startsWith('host='))?.slice(5) : parts[0];
  const mapping = parts.find((p) => p.startsWith('mapping='));
  const ok = (host !== undefined && new RegExp(`^${PCIID}(;${PCIID})*$`).test(host)) !== (mapping !== undefined);
  if (!ok) die(`400 Parameter verification failed.\n${key}: invalid format - format error\n${key}.host: value does not match the regex pattern\n`);
}

// --- commands ---------------------------------------------------------------------------------

function list() {
  const vmids = existsSync(confDir)
    ? readdirSync(confDir).filter((f) => /^\d+\.conf$/.test(f)).map((f) => f.slice(0, -5)).sort((a, b) => a - b)
    : [];
  if (vmids.length === 0) return;
  const rows = [
    ['VMID', 'NAME', 'STATUS', 'MEM(MB)', 'BOOTDISK(GB)', 'PID'],
    ...vmids.map((vmid) => {
      const conf = parseConf(readFileSync(join(confDir, `${vmid}.conf`), 'utf8'));
      const pid = runningPid(vmid);
      return [vmid, conf.values.name ?? `VM ${vmid}`, pid ? 'running' : 'stopped', conf.values.memory ?? '512', '0.00', String(pid ?? 0)];
    }),
  ];
  for (const [vmid, name, status, mem, disk, pid] of rows) {
    process.stdout.write(`${vmid.padStart(10)} ${name.padEnd(20)} ${status.padEnd(10)} ${mem.padEnd(10)} ${disk.padStart(12)} ${pid.padEnd(10)}\n`);
  }
}

function set(vmid, args) {
  if (!/^\d+$/.test(vmid ?? '')) die(`400 Parameter verification failed.\nvmid: type check ('integer') failed - got '${vmid}'`);
  const params = {};
  for (let i = 0; i < args.length; i += 2) {
    if (!args[i].startsWith('--') || args[i + 1] === undefined) die(`400 unable to parse option '${args[i]}'`);
    params[args[i].slice(2)] = args[i + 1];
  }
  const file = join(confDir, `${vmid}.conf`);
  if (!existsSync(file)) die(`Configuration file 'nodes/${nodename()}/qemu-server/${vmid}.conf' does not exist`);
  const raw = readFileSync(file, 'utf8');
  const conf = parseConf(raw);

  if (params.digest !== undefined && params.digest !== createHash('sha1').update(raw).digest('hex')) {
    die('detected modified configuration - file changed by other user? Try again.');
  }
  if (conf.values.lock) die(`VM is locked (${conf.values.lock})`);

  const changes = [];
  for (const key of (params.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
    if (conf.values[key] === undefined && conf.pending?.values[key] === undefined) {
      process.stderr.write(`cannot delete '${key}' - not set in current configuration!\n`);
      continue;
    }
    if (conf.pending) delete conf.pending.values[key];
    setPendingDeletes(conf, [...pendingDeletes(conf), key]);
    changes.push(`-delete ${key}`);
  }
  for (const [key, value] of Object.entries(params)) {
    if (key === 'delete' || key === 'digest') continue;
    if (!/^hostpci([0-9]|1[0-5])$/.test(key)) die(`400 Parameter verification failed.\n${key}: this stand-in only sets hostpci0..15`);
    checkHostpci(key, value);
    conf.pending ??= { comments: [], values: {} };
    conf.pending.values[key] = value;
    setPendingDeletes(conf, pendingDeletes(conf).filter((k) => k.replace(/^!/, '') !== key));
    changes.push(`-${key} ${value}`);
  }
  cleanupPending(conf);
  // A stopped VM takes the change now (vmconfig_apply_pending); a running one keeps hostpci
  // changes pending, since vmconfig_hotplug_pending cannot hot-plug them.
  if (!runningPid(vmid)) applyPending(conf);

  const tmp = `${file}.tmp.${process.pid}`;
  writeFileSync(tmp, writeConf(conf));
  renameSync(tmp, file);
  if (changes.length > 0) process.stdout.write(`update VM ${vmid}: ${changes.join(' ')}\n`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'list') list();
else if (command === 'set') set(rest[0], rest.slice(1));
else die(`qm stand-in: unknown command '${command ?? ''}' (this stand-in knows: list, set)`);

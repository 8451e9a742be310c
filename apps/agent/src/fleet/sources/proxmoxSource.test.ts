import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeerSource, SourceOptions } from './peerSource';
import { createProxmoxSource } from './proxmoxSource';

interface Node {
  id: number;
  online: 0 | 1;
  ip?: string;
}

let root: string;
let source: PeerSource | null = null;
const warnings: string[] = [];
const pve = (path = '') => join(root, 'etc/pve', path);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(options: Partial<SourceOptions> = {}): PeerSource {
  source = createProxmoxSource({ root, peerPort: 7300, pollMs: 20, onWarning: (m) => warnings.push(m), resolveName: async () => null, ...options });
  return source;
}

/** Writes .members as pmxcfs does: its stat has mtime 0 whatever the content. */
function writeMembers(nodelist: Record<string, Node> | null, nodename = 'pve1'): void {
  const members = nodelist ? { nodename, version: 12, cluster: { name: 'lab', version: 3, nodes: Object.keys(nodelist).length, quorate: 1 }, nodelist } : { nodename, version: 5 };
  writeFileSync(pve('.members'), JSON.stringify(members));
  utimesSync(pve('.members'), 0, 0);
}

/** A real certificate, made by openssl, and its fingerprint as openssl prints it. */
function writeCertificate(node: string): string {
  const dir = pve(`nodes/${node}`);
  mkdirSync(dir, { recursive: true });
  const key = join(root, `${node}.key`);
  const crt = join(dir, 'pve-ssl.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${node}`, '-keyout', key, '-out', crt], { stdio: 'ignore' });
  const printed = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', crt], { encoding: 'utf8' });
  return printed.slice(printed.indexOf('=') + 1).trim();
}

const THREE: Record<string, Node> = {
  pve1: { id: 1, online: 1, ip: '192.168.1.11' },
  pve2: { id: 2, online: 0, ip: '192.168.1.12' },
  pve3: { id: 3, online: 1 },
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vfmap-pve-'));
  mkdirSync(pve(), { recursive: true });
  warnings.length = 0;
});
afterEach(() => {
  source?.close();
  source = null;
  rmSync(root, { recursive: true, force: true });
});

describe('the proxmox source', () => {
  it("lists every other node of the cluster, reached on its ip and verified as Proxmox verifies it", async () => {
    writeMembers(THREE);
    const fingerprint = writeCertificate('pve2');
    const s = start({ resolveName: async (name) => (name === 'pve3' ? '192.168.1.13' : null) });
    expect(s.name).toBe('proxmox');
    await vi.waitFor(() => expect(s.current()).toHaveLength(2));
    expect(s.current()).toEqual([
      {
        url: 'https://192.168.1.12:7300',
        name: 'pve2',
        source: 'proxmox',
        hypervisor: 'proxmox',
        tls: { fingerprint, caFile: pve('pve-root-ca.pem'), serverName: 'pve2' },
        credentialFile: pve('priv/vfmap/fleet.token'),
        online: false,
      },
      {
        url: 'https://192.168.1.13:7300',
        name: 'pve3',
        source: 'proxmox',
        hypervisor: 'proxmox',
        tls: { caFile: pve('pve-root-ca.pem'), serverName: 'pve3' },
        credentialFile: pve('priv/vfmap/fleet.token'),
        online: true,
      },
    ]);
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(s.lastError()).toBeNull();
  });

  it('puts an IPv6 node address in brackets', async () => {
    writeMembers({ pve1: { id: 1, online: 1 }, pve2: { id: 2, online: 1, ip: 'fd00::12' } });
    const s = start();
    await vi.waitFor(() => expect(s.current().map((t) => t.url)).toEqual(['https://[fd00::12]:7300']));
  });

  it('has no peers on a standalone node', async () => {
    writeMembers(THREE);
    const s = start();
    await vi.waitFor(() => expect(s.current()).toHaveLength(1));
    writeMembers(null);
    await vi.waitFor(() => expect(s.current()).toEqual([]));
    expect(s.lastError()).toBeNull();
  });

  it('follows .members by its content, since pmxcfs gives it no mtime: added, removed, gone offline', async () => {
    writeMembers({ pve1: THREE.pve1!, pve2: { id: 2, online: 1, ip: '192.168.1.12' } });
    const s = start();
    await vi.waitFor(() => expect(s.current().map((t) => [t.name, t.online])).toEqual([['pve2', true]]));
    const changes = vi.fn();
    s.onChange(changes);

    writeMembers({ pve1: THREE.pve1!, pve2: { id: 2, online: 0, ip: '192.168.1.12' } }); // same size, mtime 0
    await vi.waitFor(() => expect(s.current().map((t) => [t.name, t.online])).toEqual([['pve2', false]]));

    writeMembers({ pve1: THREE.pve1!, pve2: { id: 2, online: 0, ip: '192.168.1.12' }, pve4: { id: 4, online: 1, ip: '192.168.1.14' } });
    await vi.waitFor(() => expect(s.current().map((t) => t.name)).toEqual(['pve2', 'pve4']));

    writeMembers({ pve1: THREE.pve1!, pve4: { id: 4, online: 1, ip: '192.168.1.14' } });
    await vi.waitFor(() => expect(s.current().map((t) => t.name)).toEqual(['pve4']));
    await pause(100);
    expect(changes).toHaveBeenCalledTimes(3);
  });

  it('leaves out a node whose name does not resolve, says so once, and takes it when it resolves', async () => {
    writeMembers(THREE);
    let answer: string | null = null;
    const s = start({ resolveName: async (name) => (name === 'pve3' ? answer : null) });
    await vi.waitFor(() => expect(s.lastError()).toMatch(/Proxmox node pve3 has no ip in .*\.members and its name does not resolve/));
    expect(s.current().map((t) => t.name)).toEqual(['pve2']);
    await pause(100);
    expect(warnings.filter((w) => w.includes('pve3'))).toHaveLength(1);

    answer = 'fd00::13';
    await vi.waitFor(() => expect(s.current().map((t) => t.url)).toEqual(['https://192.168.1.12:7300', 'https://[fd00::13]:7300']));
    expect(s.lastError()).toBeNull();
  });

  it('keeps the last good list when .members is garbage or larger than pmxcfs allows, and recovers', async () => {
    writeMembers(THREE);
    const s = start();
    await vi.waitFor(() => expect(s.current().map((t) => t.name)).toEqual(['pve2']));

    writeFileSync(pve('.members'), '{"nodename": "pve1", "nodelist": ');
    await vi.waitFor(() => expect(s.lastError()).toMatch(new RegExp(`^${pve('.members')} is not JSON`)));
    expect(s.current().map((t) => t.name)).toEqual(['pve2']);

    writeFileSync(pve('.members'), JSON.stringify({ nodename: 'pve1', nodelist: { pve2: { id: 'two', online: 1 } } }));
    await vi.waitFor(() => expect(s.lastError()).toMatch(/is not what pmxcfs writes: nodelist\.pve2\.id/));

    writeFileSync(pve('.members'), JSON.stringify({ nodename: 'pve1', pad: 'x'.repeat(1024 * 1024) }));
    await vi.waitFor(() => expect(s.lastError()).toMatch(/larger than 1 MiB/));
    expect(s.current().map((t) => t.name)).toEqual(['pve2']);

    writeMembers({ pve1: THREE.pve1!, pve5: { id: 5, online: 1, ip: '192.168.1.15' } });
    await vi.waitFor(() => expect(s.current().map((t) => t.name)).toEqual(['pve5']));
    expect(s.lastError()).toBeNull();
  });

  it('says why when .members cannot be read (not a Proxmox host, pmxcfs not mounted)', async () => {
    const s = start();
    await vi.waitFor(() => expect(s.lastError()).toBe(`cannot read ${pve('.members')}: no such file`));
    expect(s.current()).toEqual([]);
  });

  it('takes the new fingerprint when a node certificate is renewed', async () => {
    writeMembers(THREE);
    const first = writeCertificate('pve2');
    const s = start();
    await vi.waitFor(() => expect(s.current()[0]?.tls.fingerprint).toBe(first));
    const second = writeCertificate('pve2');
    expect(second).not.toBe(first);
    await vi.waitFor(() => expect(s.current()[0]?.tls.fingerprint).toBe(second));
  });

  it('still lists a node whose certificate file is broken, verified by the cluster CA alone, and says so', async () => {
    writeMembers(THREE);
    mkdirSync(pve('nodes/pve2'), { recursive: true });
    writeFileSync(pve('nodes/pve2/pve-ssl.pem'), '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
    const s = start();
    await vi.waitFor(() => expect(s.current()).toHaveLength(1));
    expect(s.current()[0]?.tls).toEqual({ caFile: pve('pve-root-ca.pem'), serverName: 'pve2' });
    expect(s.lastError()).toMatch(/pve-ssl\.pem is not a PEM certificate.*cluster CA only/);
  });
});

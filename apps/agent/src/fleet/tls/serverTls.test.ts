import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCert, opensslFingerprint, opensslSans, opensslSubject } from '../../testing/openssl';
import { installPveNode, makePveCluster, type PveCluster } from '../../testing/pveCluster';
import { certFingerprint } from './fingerprint';
import { serverTlsFor, type ServerTlsOptions } from './serverTls';

let tmp: string;
let cluster: PveCluster;
let n = 0;
/** A fresh root and state directory for each call. */
const fresh = (more: Partial<ServerTlsOptions> = {}): ServerTlsOptions => {
  n += 1;
  return { root: join(tmp, `root${n}`), stateDir: join(tmp, `state${n}`), proxmox: false, hostname: 'vfhost', ...more };
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'vfmap-servertls-'));
  cluster = makePveCluster(join(tmp, 'cluster'), [
    { name: 'pve1', ip: '192.0.2.11' },
    { name: 'pve2', ip: '192.0.2.12' },
  ]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the certificate the agent serves, from --tls-cert and --tls-key', () => {
  it('takes the given pair over the Proxmox node certificate', async () => {
    const given = makeSelfSignedCert(join(tmp, 'given'), 'given');
    const options = fresh({ tlsCert: given.certFile, tlsKey: given.keyFile, proxmox: true });
    installPveNode(cluster, options.root, 'pve1');
    const tls = await serverTlsFor(options);
    expect(tls).toEqual({ cert: given.cert, key: given.key, fingerprint: opensslFingerprint(given.certFile), source: 'files', certFile: given.certFile });
  });

  it('refuses a key that does not belong to the certificate, naming both files', async () => {
    const a = makeSelfSignedCert(join(tmp, 'mismatch'), 'a');
    const b = makeSelfSignedCert(join(tmp, 'mismatch'), 'b');
    const refused = serverTlsFor(fresh({ tlsCert: a.certFile, tlsKey: b.keyFile }));
    await expect(refused).rejects.toThrow(`the TLS key ${b.keyFile} does not belong to the certificate ${a.certFile}`);
  });

  it('refuses one of the two flags alone', async () => {
    const a = makeSelfSignedCert(join(tmp, 'alone'), 'a');
    await expect(serverTlsFor(fresh({ tlsCert: a.certFile }))).rejects.toThrow(`--tls-cert ${a.certFile} is given without --tls-key`);
    await expect(serverTlsFor(fresh({ tlsKey: a.keyFile }))).rejects.toThrow(`--tls-key ${a.keyFile} is given without --tls-cert`);
  });

  it('names the file it cannot read or that holds no certificate', async () => {
    const a = makeSelfSignedCert(join(tmp, 'unreadable'), 'a');
    const missing = join(tmp, 'unreadable/none.crt');
    await expect(serverTlsFor(fresh({ tlsCert: missing, tlsKey: a.keyFile }))).rejects.toThrow(`cannot read the TLS certificate ${missing}`);
    await expect(serverTlsFor(fresh({ tlsCert: a.keyFile, tlsKey: a.keyFile }))).rejects.toThrow(`${a.keyFile} holds no PEM certificate`);
    await expect(serverTlsFor(fresh({ tlsCert: a.certFile, tlsKey: a.certFile }))).rejects.toThrow(`${a.certFile} holds no unencrypted PEM private key`);
  });
});

describe('the certificate of a Proxmox node', () => {
  it("serves the node's own pve-ssl.pem, the one the cluster CA signed", async () => {
    const options = fresh({ proxmox: true });
    installPveNode(cluster, options.root, 'pve2');
    const tls = await serverTlsFor(options);
    expect(tls.source).toBe('proxmox');
    expect(tls.certFile).toBe(join(options.root, 'etc/pve/local/pve-ssl.pem'));
    expect(tls.fingerprint).toBe(opensslFingerprint(join(cluster.dir, 'nodes/pve2/pve-ssl.pem')));
    expect(tls.key).toBe(readFileSync(join(cluster.dir, 'nodes/pve2/pve-ssl.key'), 'utf8'));
  });

  it('makes its own when the host is not taken for Proxmox, or has no node certificate', async () => {
    const notProxmox = fresh({ proxmox: false });
    installPveNode(cluster, notProxmox.root, 'pve1');
    expect((await serverTlsFor(notProxmox)).source).toBe('state-dir');
    expect((await serverTlsFor(fresh({ proxmox: true }))).source).toBe('state-dir');
  });
});

describe('the certificate made in the state directory', () => {
  it('is made at the first start and the same at the next', async () => {
    const options = fresh({ hostname: 'vfhost.example.org' });
    const first = await serverTlsFor(options);
    expect(first.source).toBe('state-dir');
    expect(first.certFile).toBe(join(options.stateDir, 'tls/agent.crt'));
    expect(first.fingerprint).toBe(opensslFingerprint(first.certFile));
    const again = await serverTlsFor(options);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.key).toBe(first.key);
  });

  it('keeps its key 0600 in a 0700 directory, and leaves nothing else behind', async () => {
    const options = fresh();
    await serverTlsFor(options);
    expect(statSync(join(options.stateDir, 'tls/agent.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(options.stateDir, 'tls')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(options.stateDir, 'tls')).sort()).toEqual(['agent.crt', 'agent.key']);
    expect(readdirSync(options.stateDir)).toEqual(['tls']);
  });

  it('names the hostname, localhost and the loopback addresses, and is its own issuer', async () => {
    const tls = await serverTlsFor(fresh({ hostname: 'vfhost' }));
    const sans = opensslSans(tls.certFile);
    expect(sans).toEqual(expect.arrayContaining(['DNS:vfhost', 'DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']));
    const external = Object.values(networkInterfaces()).flatMap((infos) => (infos ?? []).filter((i) => !i.internal && i.family === 'IPv4'));
    for (const { address } of external) expect(sans).toContain(`IP Address:${address}`);
    expect(opensslSubject(tls.certFile)).toBe('O = vfmap, CN = vfhost');
    expect(certFingerprint(tls.cert)).toBe(tls.fingerprint);
  });

  it('gives two agents starting at once on one state directory the same pair', async () => {
    const options = fresh();
    const [a, b] = await Promise.all([serverTlsFor(options), serverTlsFor(options)]);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(b.key).toBe(a.key);
    expect(readdirSync(options.stateDir)).toEqual(['tls']);
  });

  it('says to install openssl or give --tls-cert/--tls-key when openssl is missing', async () => {
    const options = fresh({ openssl: join(tmp, 'no-such-openssl') });
    await expect(serverTlsFor(options)).rejects.toThrow(
      new RegExp(`cannot make the TLS certificate .*agent\\.crt: the .*no-such-openssl command is not installed; install Debian's openssl package .* or give --tls-cert and --tls-key`),
    );
  });

  it('refuses a hostname that cannot go into a certificate, naming the file', async () => {
    await expect(serverTlsFor(fresh({ hostname: 'bad$name' }))).rejects.toThrow(/cannot make the TLS certificate .*agent\.crt: .*bad\$name/);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { opensslConfig, reqArgs, type CertificateSpec } from '../fleet/tls/opensslConfig';

/**
 * Test support: real certificates made with the openssl CLI (EC P-256, fast), and openssl's own reading
 * of them, so that tests compare Node's view with an independent one instead of with itself.
 */

export interface CertFiles {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** Runs openssl with an argument array; its stdout. */
export function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Writes a key and a certificate to `certFile` and `keyFile` (directories made as needed): self-signed,
 * or signed by `issuer`.
 */
export function makeCert(spec: CertificateSpec, files: { certFile: string; keyFile: string }, issuer?: { certFile: string; keyFile: string }): CertFiles {
  for (const file of [files.certFile, files.keyFile]) mkdirSync(dirname(file), { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'vfmap-openssl-'));
  try {
    const config = join(scratch, 'openssl.cnf');
    writeFileSync(config, opensslConfig(spec));
    openssl(reqArgs({ config, ...files, ...(issuer ? { issuer } : {}) }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { ...files, cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
}

/** A self-signed server certificate for `name` (and 127.0.0.1, ::1, localhost) in `dir`. */
export function makeSelfSignedCert(dir: string, name: string): CertFiles {
  return makeCert(
    { subject: [['CN', name]], dns: [...new Set([name, 'localhost'])], ips: ['127.0.0.1', '::1'] },
    { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) },
  );
}

/** What `openssl x509 -noout -fingerprint -sha256` prints, as "AB:CD:…". */
export function opensslFingerprint(certFile: string): string {
  const out = openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', certFile]);
  const match = /Fingerprint=([0-9A-F:]+)/i.exec(out);
  if (!match) throw new Error(`openssl printed no fingerprint for ${certFile}: ${out}`);
  return match[1]!.toUpperCase();
}

/** The subject alternative names as openssl prints them: "DNS:pve1", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1". */
export function opensslSans(certFile: string): string[] {
  const out = openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', certFile]);
  return out.split('\n').slice(1).join(',').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The subject as `openssl x509 -subject` prints it ("O = vfmap, CN = pve1"). */
export function opensslSubject(certFile: string): string {
  return openssl(['x509', '-noout', '-subject', '-in', certFile]).replace(/^subject=\s*/, '').trim();
}

/** Whether `openssl verify` accepts `certFile` as signed by the CA in `caFile`. */
export function opensslVerifies(caFile: string, certFile: string): boolean {
  try {
    openssl(['verify', '-CAfile', caFile, certFile]);
    return true;
  } catch {
    return false;
  }
}

import { isIP } from 'node:net';

/** What a certificate made by `openssl req -x509` says: its subject, its names, and whether it is a CA. */
export interface CertificateSpec {
  /** Relative distinguished names in order, e.g. [['O', 'vfmap'], ['CN', 'pve1']]. */
  subject: Array<[string, string]>;
  dns: string[];
  ips: string[];
  ca?: boolean;
}

/** Characters that mean nothing to OpenSSL's config parser (no `$` expansion, `#` comment, quote or escape). */
const PLAIN_VALUE = /^[A-Za-z0-9 ._:@-]+$/;
const DNS_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/;

/**
 * The `-config` file for `openssl req -x509` that makes exactly this certificate. A file of our own rather
 * than the system's openssl.cnf, whose `x509_extensions = v3_ca` would mark every self-signed certificate a
 * CA; values are checked, because the config syntax expands `$name` and cuts at `#`.
 */
export function opensslConfig(spec: CertificateSpec): string {
  for (const [field, value] of spec.subject) {
    if (!/^[A-Za-z]+$/.test(field) || !PLAIN_VALUE.test(value)) throw new Error(`cannot put ${field}=${JSON.stringify(value)} in a certificate subject`);
  }
  for (const name of spec.dns) if (!DNS_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a DNS name a certificate can carry`);
  for (const ip of spec.ips) if (isIP(ip) === 0) throw new Error(`${JSON.stringify(ip)} is not an IP address`);

  const lines = ['[req]', 'distinguished_name = dn', 'prompt = no', 'x509_extensions = ext', '', '[dn]'];
  spec.subject.forEach(([field, value], i) => lines.push(`${i}.${field} = ${value}`));
  lines.push('', '[ext]', 'subjectKeyIdentifier = hash');
  if (spec.ca) {
    lines.push('basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign');
  } else {
    lines.push('basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = serverAuth, clientAuth');
  }
  if (spec.dns.length + spec.ips.length > 0) {
    lines.push('subjectAltName = @alt', '', '[alt]');
    spec.dns.forEach((name, i) => lines.push(`DNS.${i + 1} = ${name}`));
    spec.ips.forEach((ip, i) => lines.push(`IP.${i + 1} = ${ip}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The `openssl req` arguments that make a P-256 key and a certificate for it, self-signed or signed by `issuer`. */
export function reqArgs(files: { config: string; keyFile: string; certFile: string; issuer?: { certFile: string; keyFile: string } }, days = 3650): string[] {
  return [
    'req', '-x509', '-config', files.config,
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', files.keyFile, '-out', files.certFile, '-days', String(days),
    // `req -CA` (OpenSSL ≥ 3.0, Debian 12): sign in the same call instead of a CSR and `x509 -req`.
    ...(files.issuer ? ['-CA', files.issuer.certFile, '-CAkey', files.issuer.keyFile] : []),
  ];
}

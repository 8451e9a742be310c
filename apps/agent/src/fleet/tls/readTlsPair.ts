import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../configFlags';

export interface TlsPair {
  cert: string;
  key: string;
  fingerprint: string;
}

/**
 * Reads a certificate and its key and checks they belong together, so that a wrong pair is refused at start
 * with both file names instead of failing every peer's handshake later. Every error names its file.
 */
export function readTlsPair(certFile: string, keyFile: string): TlsPair {
  const cert = readText(certFile, 'TLS certificate');
  const key = readText(keyFile, 'TLS key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new ConfigError(`${certFile} holds no PEM certificate: ${(err as Error).message}`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    throw new ConfigError(`${keyFile} holds no unencrypted PEM private key: ${(err as Error).message}`);
  }
  if (!x509.checkPrivateKey(keyObject)) {
    throw new ConfigError(`the TLS key ${keyFile} does not belong to the certificate ${certFile} (${x509.subject.replace(/\n/g, ', ')})`);
  }
  return { cert, key, fingerprint: x509.fingerprint256 };
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
}

import { X509Certificate } from 'node:crypto';
import { normalizeFingerprint } from './peerTarget';
import { PMXCFS_MAX_BYTES } from './pveClusterPaths';
import { readBoundedFile } from './readBoundedFile';
import { SourceReadError } from './sourceErrors';

/**
 * The SHA-256 fingerprint of the first certificate in a PEM file, the pin pveproxy itself uses
 * when it forwards a call to another node. Undefined when the file does not exist (a node that
 * has not written its certificate yet: the cluster CA still verifies it); throws a
 * SourceReadError when it exists but cannot be read or is not a certificate.
 */
export async function readCertificateFingerprint(path: string): Promise<string | undefined> {
  let pem: string;
  try {
    pem = await readBoundedFile(path, PMXCFS_MAX_BYTES);
  } catch (err) {
    if (err instanceof SourceReadError && err.code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return normalizeFingerprint(new X509Certificate(pem).fingerprint256);
  } catch (err) {
    throw new SourceReadError(`${path} is not a PEM certificate: ${(err as Error).message}`, path);
  }
}

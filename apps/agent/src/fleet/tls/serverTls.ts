import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../configFlags';
import { readTlsPair } from './readTlsPair';
import { stateDirCertificate } from './stateDirCertificate';

export interface ServerTls {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, "AB:CD:…": what peers pin. */
  fingerprint: string;
  source: 'proxmox' | 'files' | 'state-dir';
  certFile: string;
}

export interface ServerTlsOptions {
  /** The directory that stands for `/` (ROOT/etc/pve). */
  root: string;
  stateDir: string;
  tlsCert?: string;
  tlsKey?: string;
  /** The host is a Proxmox node (its node certificate is used when readable). */
  proxmox: boolean;
  hostname: string;
  /** The openssl command that makes the state-dir certificate; default `openssl` from PATH. */
  openssl?: string;
}

/** Where pmxcfs keeps this node's certificate: `local` is its link to `nodes/<this node>`. */
export function pveLocalCertificate(root: string): { certFile: string; keyFile: string } {
  const local = join(root, 'etc/pve/local');
  return { certFile: join(local, 'pve-ssl.pem'), keyFile: join(local, 'pve-ssl.key') };
}

/**
 * The certificate and key the agent serves HTTPS with, in this order: --tls-cert/--tls-key (both or
 * neither); on a Proxmox node its own pve-ssl.pem, signed by the cluster CA and already pinned by
 * pveproxy, so peers can check it the way Proxmox does; else one made once in the state directory.
 */
export async function serverTlsFor(options: ServerTlsOptions): Promise<ServerTls> {
  const { tlsCert, tlsKey } = options;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(
      tlsCert === undefined
        ? `--tls-key ${tlsKey} is given without --tls-cert; give both or neither`
        : `--tls-cert ${tlsCert} is given without --tls-key; give both or neither`,
    );
  }
  if (tlsCert !== undefined && tlsKey !== undefined) {
    return { ...readTlsPair(tlsCert, tlsKey), source: 'files', certFile: tlsCert };
  }
  if (options.proxmox) {
    const pve = pveLocalCertificate(options.root);
    // pve-ssl.key is root:www-data 0640: an agent running as another user falls back to its own pair.
    if (readable(pve.certFile) && readable(pve.keyFile)) {
      return { ...readTlsPair(pve.certFile, pve.keyFile), source: 'proxmox', certFile: pve.certFile };
    }
  }
  const own = await stateDirCertificate({
    stateDir: options.stateDir,
    hostname: options.hostname,
    ...(options.openssl ? { openssl: options.openssl } : {}),
  });
  return { cert: own.cert, key: own.key, fingerprint: own.fingerprint, source: 'state-dir', certFile: own.certFile };
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

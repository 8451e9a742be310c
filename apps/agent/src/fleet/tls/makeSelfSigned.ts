import { execFile } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../configFlags';
import { opensslConfig, reqArgs } from './opensslConfig';

const run = promisify(execFile);

export interface SelfSignedRequest {
  /** A directory of our own (mode 0700): the key and the certificate are written here. */
  dir: string;
  certName: string;
  keyName: string;
  hostname: string;
  dns: string[];
  ips: string[];
  /** The openssl command; default `openssl` from PATH. */
  openssl?: string;
}

/**
 * Makes the agent's own certificate with the openssl CLI (EC P-256, self-signed, 10 years, CN = the
 * hostname): Node can read and check certificates but not make one, and Debian ships openssl with every
 * Proxmox node. The key is left mode 0600.
 */
export async function makeSelfSigned(request: SelfSignedRequest): Promise<void> {
  const certFile = join(request.dir, request.certName);
  const keyFile = join(request.dir, request.keyName);
  const config = join(request.dir, 'openssl.cnf');
  let text: string;
  try {
    text = opensslConfig({ subject: [['O', 'vfmap'], ['CN', request.hostname]], dns: request.dns, ips: request.ips });
  } catch (err) {
    throw new ConfigError(`cannot make the TLS certificate ${certFile}: ${(err as Error).message}; give --tls-cert and --tls-key`);
  }
  writeFileSync(config, text, { mode: 0o600 });
  const openssl = request.openssl ?? 'openssl';
  try {
    await run(openssl, reqArgs({ config, keyFile, certFile }), { timeout: 30_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new ConfigError(
        `cannot make the TLS certificate ${certFile}: the ${openssl} command is not installed; install Debian's openssl package (apt-get install openssl) or give --tls-cert and --tls-key`,
      );
    }
    throw new ConfigError(`cannot make the TLS certificate ${certFile} with ${openssl}: ${(e.stderr ?? '').trim() || e.message}`);
  } finally {
    rmSync(config, { force: true });
  }
  // openssl writes keys 0600 itself since 3.0; say so rather than trust it.
  chmodSync(keyFile, 0o600);
}

import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../configFlags';
import { certificateNames } from './certificateNames';
import { makeSelfSigned } from './makeSelfSigned';
import { readTlsPair, type TlsPair } from './readTlsPair';

export const STATE_TLS_DIR = 'tls';
export const STATE_CERT = 'agent.crt';
export const STATE_KEY = 'agent.key';

/**
 * The agent's own certificate in `<stateDir>/tls/`, made at the first start and reused after, so that a
 * fingerprint pinned by peers stays valid across restarts. The pair is made in a fresh directory beside
 * it and renamed to `tls` in one step: a crash leaves no half pair, and of two agents starting at once on
 * the same state directory one wins and the other takes the winner's pair (rename(2) refuses a non-empty
 * target).
 */
export async function stateDirCertificate(options: { stateDir: string; hostname: string; openssl?: string }): Promise<TlsPair & { certFile: string }> {
  const dir = join(options.stateDir, STATE_TLS_DIR);
  const certFile = join(dir, STATE_CERT);
  const keyFile = join(dir, STATE_KEY);
  if (!existsSync(certFile)) {
    mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
    const fresh = mkdtempSync(join(options.stateDir, '.tls-new-'));
    try {
      await makeSelfSigned({
        dir: fresh,
        certName: STATE_CERT,
        keyName: STATE_KEY,
        hostname: options.hostname,
        ...certificateNames(options.hostname, networkInterfaces()),
        ...(options.openssl ? { openssl: options.openssl } : {}),
      });
      renameSync(fresh, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      if (!existsSync(certFile)) {
        throw new ConfigError(`${dir} exists but holds no ${STATE_CERT}; move it away to have a new certificate made`);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  return { ...readTlsPair(certFile, keyFile), certFile };
}

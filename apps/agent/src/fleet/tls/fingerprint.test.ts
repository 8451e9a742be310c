import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCert, opensslFingerprint } from '../../testing/openssl';
import { certFingerprint, sameFingerprint } from './fingerprint';

const dir = mkdtempSync(join(tmpdir(), 'vfmap-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificate fingerprints', () => {
  const one = makeSelfSignedCert(dir, 'one');
  const two = makeSelfSignedCert(dir, 'two');

  it('is the SHA-256 fingerprint openssl prints for the same file', () => {
    expect(certFingerprint(readFileSync(one.certFile, 'utf8'))).toBe(opensslFingerprint(one.certFile));
    expect(certFingerprint(two.cert)).toBe(opensslFingerprint(two.certFile));
    expect(certFingerprint(one.cert)).not.toBe(certFingerprint(two.cert));
  });

  it('matches however the fingerprint is written: colons, case, a sha256: prefix', () => {
    const fp = certFingerprint(one.cert);
    const bare = fp.replace(/:/g, '').toLowerCase();
    expect(sameFingerprint(fp, bare)).toBe(true);
    expect(sameFingerprint(`sha256:${bare}`, fp)).toBe(true);
    expect(sameFingerprint(`SHA256:${fp.toLowerCase()}`, bare)).toBe(true);
  });

  it('does not match another certificate, a truncated fingerprint, or an empty pin', () => {
    const fp = certFingerprint(one.cert);
    expect(sameFingerprint(fp, certFingerprint(two.cert))).toBe(false);
    expect(sameFingerprint(fp, fp.slice(0, -3))).toBe(false);
    expect(sameFingerprint('', '')).toBe(false);
    expect(sameFingerprint('sha256:', fp)).toBe(false);
  });
});

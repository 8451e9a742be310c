import { describe, expect, it } from 'vitest';
import { normalizeFingerprint } from './peerTarget';

const HEX = 'ab'.repeat(16) + '0123456789abcdef'.repeat(2);
const PAIRED = (HEX.toUpperCase().match(/../g) ?? []).join(':');

describe('normalizeFingerprint', () => {
  it('spells every accepted form as upper-case pairs separated by colons', () => {
    for (const text of [HEX, HEX.toUpperCase(), PAIRED, PAIRED.toLowerCase(), `sha256:${PAIRED}`, `SHA256=${HEX}`, `sha-256:${HEX}`, `  ${PAIRED}\n`]) {
      expect(normalizeFingerprint(text)).toBe(PAIRED);
    }
  });

  it("takes openssl's own output line as it is printed", () => {
    expect(normalizeFingerprint(`sha256 Fingerprint=${PAIRED}`)).toBe(PAIRED);
  });

  it('refuses what is not 64 hex digits, naming what it got', () => {
    expect(() => normalizeFingerprint(HEX.slice(2))).toThrow(/64 hex digits.*got/);
    expect(() => normalizeFingerprint(`${HEX}00`)).toThrow(/64 hex digits/);
    expect(() => normalizeFingerprint(HEX.replace('a', 'g'))).toThrow(/64 hex digits/);
    expect(() => normalizeFingerprint('da39a3ee5e6b4b0d3255bfef95601890afd80709')).toThrow(/64 hex digits/); // a SHA-1
    expect(() => normalizeFingerprint(`A:B${PAIRED.slice(3)}`)).toThrow(/64 hex digits/); // pairs split wrongly
    expect(() => normalizeFingerprint('')).toThrow(/64 hex digits/);
  });
});

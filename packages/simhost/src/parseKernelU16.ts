/**
 * The kernel's kstrtou16(buf, 0, &n) as sriov_numvfs_store() calls it (lib/kstrtox.c):
 * an optional '+', then the radix from the prefix ("0x" followed by a hex digit → 16, a
 * leading "0" → 8, else 10), at least one digit, at most one trailing newline, nothing else.
 * Whitespace, signs other than '+', fractions and values above 65535 are all refused.
 *
 * Pinned by fixtures/realkernel/probe.txt ("parsing of the written value"):
 * "2\n", "+2", "0x2" → 2; "010" → 8; " 2", "2 ", "2.0", "garbage", "-1", "65536",
 * "99999999999" → refused (the store returns EINVAL for every parse failure).
 */
export type KernelU16 = { ok: true; value: number } | { ok: false; reason: 'no-digits' | 'trailing' | 'overflow' };

const digitValue = (c: string): number => {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return 99;
};

export function parseKernelU16(text: string): KernelU16 {
  // sysfs hands the store a NUL-terminated copy: whatever follows a NUL is never seen.
  const nul = text.indexOf('\0');
  let s = nul === -1 ? text : text.slice(0, nul);
  if (s.startsWith('+')) s = s.slice(1);

  let base = 10;
  if (s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && s.length > 2 && digitValue(s[2]!) < 16) {
    base = 16;
    s = s.slice(2);
  } else if (s[0] === '0') {
    base = 8;
  }

  let i = 0;
  let value = 0n;
  let overflow = false;
  for (; i < s.length; i++) {
    const d = digitValue(s[i]!);
    if (d >= base) break;
    value = value * BigInt(base) + BigInt(d);
    if (value > 0xffff_ffff_ffff_ffffn) overflow = true;
  }
  if (overflow) return { ok: false, reason: 'overflow' };
  if (i === 0) return { ok: false, reason: 'no-digits' };
  let rest = s.slice(i);
  if (rest.startsWith('\n')) rest = rest.slice(1);
  if (rest !== '') return { ok: false, reason: 'trailing' };
  // kstrtou16: a value that fits u64 but not u16 is -ERANGE, which the store turns into -EINVAL.
  if (value > 0xffffn) return { ok: false, reason: 'overflow' };
  return { ok: true, value: Number(value) };
}

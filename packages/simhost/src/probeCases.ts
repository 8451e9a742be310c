/**
 * The writes recorded by test/realkernel/probe-sriov.js against a real Linux 6.1 kernel
 * (fixtures/realkernel/probe.txt), parsed from the report so that the simulated kernel
 * can be held to every one of them. Used by the tests.
 */
export interface ProbeWrite {
  /** The report's label: "different non-zero value", "value \"010\"", "drivers_probe VF"... */
  label: string;
  /** The `=== section ===` it appeared in. */
  section: string;
  value: string;
  /** Absolute path as written in the guest: /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs. */
  path: string;
  result: 'OK' | string;
  errno: number | null;
  /** "-> sriov_numvfs reads N" after the write, when the report says. */
  readsAfter: number | null;
}

const WRITE = /^(.+?): write "((?:[^"\\]|\\.)*)" > (\S+)\s+->\s+(OK|E[A-Z]+)(?: errno=(-\d+))?/;
const READS = /^\s+-> sriov_numvfs reads (\d+)$/;
const SECTION = /^=== (.+) ===$/;

export function parseProbeWrites(report: string): ProbeWrite[] {
  const writes: ProbeWrite[] = [];
  let section = '';
  for (const line of report.split('\n')) {
    const s = SECTION.exec(line);
    if (s) {
      section = s[1]!;
      continue;
    }
    const r = READS.exec(line);
    if (r && writes.length > 0) {
      writes[writes.length - 1]!.readsAfter = Number(r[1]);
      continue;
    }
    const w = WRITE.exec(line);
    if (!w) continue;
    const target = w[3]!;
    writes.push({
      label: w[1]!.trim(),
      section,
      value: JSON.parse(`"${w[2]!}"`) as string,
      path: target.startsWith('/') ? target : `/sys/bus/pci/devices/${target}`,
      result: w[4]!,
      errno: w[5] === undefined ? null : Number(w[5]),
      readsAfter: null,
    });
  }
  return writes;
}

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How a stand-in hypervisor tool (qm, virsh) misbehaves. */
export type ToolFault = 'hang' | 'fail-odd' | 'not-its-output' | 'flood';

/**
 * Writes `dir/<name>`: a stand-in for qm or virsh, named as such, that misbehaves in one way
 * whatever it is asked. hang: sleeps, holding its output open; fail-odd: exits 255 with control
 * bytes and a flood of text on stderr; not-its-output: prints JSON and XML where a table belongs;
 * flood: prints 10 MB.
 */
export function faultyTool(dir: string, name: string, fault: ToolFault): string {
  const body: Record<ToolFault, string> = {
    hang: 'exec sleep 60',
    'fail-odd': `printf 'ipcc_send_rec[1] failed: \\033[31mConnection refused\\000\\377\\n' >&2; head -c 20000 /dev/zero | tr '\\0' '#' >&2; exit 255`,
    'not-its-output': `printf '{"data":[{"vmid":100}]\\n<?xml version="1.0"?><domain><name>x</nam\\n'`,
    flood: 'head -c 10485760 /dev/zero | tr "\\0" "9"',
  };
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n# stand-in ${name}: ${fault}\n${body[fault]}\n`);
  chmodSync(path, 0o755);
  return path;
}
